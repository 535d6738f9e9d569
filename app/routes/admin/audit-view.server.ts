import { type AuditFilter, listAudit } from '#app/domain/identity/audit.server.ts'
import { maskIdNumber } from '#app/domain/shared/id-number.ts'
import { isMessageKey, translate } from '#app/i18n/catalog.server.ts'
import { formatDate, type Lang } from '#app/i18n/index.ts'
import type { DB } from '#db/schema.ts'

/** What /admin/audit and /admin/audit.csv share: the filter from the query string and how a row reads. */

const DAY = /^\d{4}-\d{2}-\d{2}$/

function day(v: string | null): string | undefined {
  return v && DAY.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? v : undefined
}

/** The filter and page asked for; anything malformed is ignored, as if not asked. */
export function auditQuery(url: URL): { filter: AuditFilter; page: number } {
  const p = url.searchParams
  const actorRaw = p.get('actor') ?? ''
  const actionRaw = p.get('action') ?? ''
  const pageRaw = Number(p.get('page') ?? '1')
  return {
    filter: {
      actor: actorRaw === 'system' ? 0 : /^[1-9]\d{0,17}$/.test(actorRaw) ? Number(actorRaw) : undefined,
      action: /^[a-z_.]{1,64}$/.test(actionRaw) ? actionRaw : undefined,
      from: day(p.get('from')),
      to: day(p.get('to')),
    },
    page: Number.isInteger(pageRaw) && pageRaw >= 1 && pageRaw <= 100_000 ? pageRaw : 1,
  }
}

/** The query string of a filter (for paging links and the CSV link). */
export function auditSearch(filter: AuditFilter, page?: number): string {
  const p = new URLSearchParams()
  if (filter.actor === 0) p.set('actor', 'system')
  else if (filter.actor) p.set('actor', String(filter.actor))
  if (filter.action) p.set('action', filter.action)
  if (filter.from) p.set('from', filter.from)
  if (filter.to) p.set('to', filter.to)
  if (page && page > 1) p.set('page', String(page))
  const s = p.toString()
  return s ? `?${s}` : ''
}

// 18-character PRC ID numbers anywhere in a detail (older rows, free-text reasons): masked again.
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g

export function maskIdNumbers(text: string): string {
  return text.replace(ID_NUMBER, (m) => maskIdNumber(m))
}

/** An action's label in the reader's language; an action without one shows its code. */
export function actionLabel(lang: Lang, action: string): string {
  const key = `audit.action.${action}`
  return isMessageKey(key) ? translate(lang, key) : action
}

type Row = Awaited<ReturnType<typeof listAudit>>['rows'][number]

/** One audit row as the page and the CSV show it: names and labels, never raw ID numbers. */
export function presentAuditRow(lang: Lang, r: Row) {
  const targetKey = `audit.target.${r.target_type}`
  const targetType = isMessageKey(targetKey) ? translate(lang, targetKey) : r.target_type
  return {
    id: r.id,
    at: r.created_at.toISOString(),
    actor: r.actor_name ?? translate(lang, 'audit.actor.system'),
    actorRole: r.actor_role ? translate(lang, `role.${r.actor_role}`) : '',
    action: r.action,
    actionLabel: actionLabel(lang, r.action),
    target: `${targetType}${r.target_id ? ` #${r.target_id}` : ''}`,
    targetName: r.target_name,
    detail: Object.entries(r.detail ?? {}).map(([k, v]) => ({
      key: k,
      value: maskIdNumbers(typeof v === 'string' ? v : JSON.stringify(v)),
    })),
  }
}

export type AuditRowView = ReturnType<typeof presentAuditRow>

/** A CSV cell: quoted when needed; a leading = + - @ (a spreadsheet formula) is defused with '. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** The whole filtered log as CSV for Excel: UTF-8 with a BOM, CRLF line ends, the user's language. */
export async function auditCsv(db: DB, lang: Lang, filter: AuditFilter, maxRows = 10_000): Promise<string> {
  const { rows } = await listAudit(db, filter, { page: 1, pageSize: maxRows })
  const header = ['time', 'actor', 'actorRole', 'action', 'actionCode', 'target', 'targetName', 'detail'] as const
  const lines = [header.map((h) => csvCell(translate(lang, `audit.csv.${h}`))).join(',')]
  for (const raw of rows) {
    const r = presentAuditRow(lang, raw)
    lines.push(
      [
        formatDate(lang, r.at, 'dateTimeSeconds'),
        r.actor,
        r.actorRole,
        r.actionLabel,
        r.action,
        r.target,
        r.targetName ?? '',
        r.detail.map((d) => `${d.key}=${d.value}`).join('; '),
      ]
        .map(csvCell)
        .join(','),
    )
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

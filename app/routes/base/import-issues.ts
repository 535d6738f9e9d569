import { PassThrough, Readable } from 'node:stream'

import type { LoaderFunctionArgs } from '@remix-run/node'

import { requireBaseStaff } from '#app/auth/auth.server.ts'
import { getImport, writeIssuesWorkbook } from '#app/domain/imports/imports.server.ts'
import { templateHeaders } from '#app/domain/imports/rows.ts'
import { isMessageKey, translate } from '#app/i18n/catalog.server.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { getLogger } from '#app/lib/log.server.ts'

import { attachment } from './download.server.ts'

/**
 * GET /base/imports/:importId/issues.xlsx — the rows of the caller's base's upload that have
 * issues, in the roster's columns plus a reason column, to fix and upload again. Streamed (up to
 * the policy's row limit): the workbook is written into the response as the rows are read.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireBaseStaff(request)
  const id = /^\d{1,9}$/.test(params.importId ?? '') ? Number(params.importId) : 0
  const db = getDb()
  const f = id > 0 ? await getImport(db, { kind: 'roster', baseId: user.baseId, accountId: user.accountId }, id) : undefined
  if (!f) throw new Response('Not Found', { status: 404 })
  const lang = getLang(request)
  const word = (code: string) => {
    const key = `importIssue.${code}`
    return isMessageKey(key) ? translate(lang, key) : code
  }
  const out = new PassThrough()
  writeIssuesWorkbook(db, f.id, 'roster', out, {
    headers: templateHeaders('roster', lang),
    reasonHeader: translate(lang, 'reportBase.issues.reason'),
    reason: (codes) => codes.map(word).join('；'),
  }).catch((e: unknown) => {
    // The status line is already sent: end the body with an error so the download fails visibly.
    getLogger().error({ err: e, importId: f.id }, 'issues workbook failed')
    out.destroy(e instanceof Error ? e : new Error(String(e)))
  })
  const body = Readable.toWeb(out) as ReadableStream<Uint8Array>
  return new Response(body, { status: 200, headers: attachment(translate(lang, 'reportBase.issues.filename', { id: f.id })) })
}

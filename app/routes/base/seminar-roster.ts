import type { LoaderFunctionArgs } from '@remix-run/node'
import ExcelJS from 'exceljs'

import { requireBaseStaff } from '#app/auth/auth.server.ts'
import { packageRoster, seminarForHost } from '#app/domain/seminars/package.server.ts'
import { PROVINCES } from '#app/domain/seminars/provinces.ts'
import { maskIdNumber } from '#app/domain/shared/id-number.ts'
import { nameOf, regionName } from '#app/domain/shared/reference.ts'
import { translate } from '#app/i18n/catalog.server.ts'
import { type MessageKey } from '#app/i18n/index.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import { decryptPii } from '#app/lib/crypto.server.ts'
import { getDb } from '#app/lib/db.server.ts'

import { attachment } from './download.server.ts'

/**
 * GET /base/seminars/:seminarId/roster.xlsx — the post-event package's roster (名单) for the host
 * base: each registration's person (ID number masked), province/region, status, blocks attended,
 * hours and completion. A seminar holds at most a few hundred rows, so it is built in memory.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireBaseStaff(request)
  const raw = params.seminarId ?? ''
  if (!/^\d{1,12}$/.test(raw)) throw new Response('Not Found', { status: 404 })
  const db = getDb()
  const seminar = await seminarForHost(db, staff.baseId, Number(raw))
  if (!seminar) throw new Response('Not Found', { status: 404 })
  const lang = getLang(request)
  const tr = (key: MessageKey) => translate(lang, key)
  const rows = await packageRoster(db, seminar.id)
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet(tr('seminarPackage.xlsx.sheet'), { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = [
    { header: tr('seminarPackage.xlsx.name'), width: 14 },
    { header: tr('seminarPackage.xlsx.id'), width: 22, style: { numFmt: '@' } },
    { header: tr('seminarPackage.xlsx.region'), width: 20 },
    { header: tr('seminarPackage.xlsx.status'), width: 14 },
    { header: tr('seminarPackage.xlsx.blocks'), width: 12 },
    { header: tr('seminarPackage.xlsx.hours'), width: 10 },
    { header: tr('seminarPackage.xlsx.completed'), width: 14 },
  ]
  sheet.getRow(1).font = { bold: true }
  for (const r of rows) {
    const id = decryptPii(r.id_number_enc)
    const province = nameOf(PROVINCES, id.slice(0, 2), lang)
    const place = r.region_code ? `${province} · ${regionName(r.region_code, lang)}` : province
    sheet.addRow([
      r.name,
      maskIdNumber(id),
      place,
      tr(`seminarPackage.reg.${r.status}` as MessageKey),
      r.blocks_attended ?? Number(r.attended_now ?? 0),
      r.hours === null ? '' : Number(r.hours),
      r.completed === null ? '' : tr(r.completed ? 'seminarPackage.xlsx.yes' : 'seminarPackage.xlsx.no'),
    ])
  }
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer())
  return new Response(buffer, { status: 200, headers: attachment(tr('seminarPackage.xlsx.filename')) })
}

import { Writable } from 'node:stream'

import type { LoaderFunctionArgs } from '@remix-run/node'

import { requireBaseStaff } from '#app/auth/auth.server.ts'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import { templateHeaders } from '#app/domain/imports/rows.ts'
import { writeTemplate } from '#app/domain/imports/workbook-writer.server.ts'
import { reportsPolicyOn } from '#app/domain/policy/reports-policy.server.ts'
import { translate } from '#app/i18n/catalog.server.ts'
import { getLang } from '#app/i18n/lang.server.ts'

import { attachment } from './download.server.ts'

/**
 * GET /base/roster-template.xlsx — the blank roster (参训人员名单) in the user's language: the
 * headers the import reads, the ID column formatted as text, and a sheet of notes. A few KB, so
 * it is built in memory.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireBaseStaff(request)
  const lang = getLang(request)
  const rows = reportsPolicyOn(chinaDay()).roster.maxRows.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en')
  const chunks: Buffer[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk)
      done()
    },
  })
  await writeTemplate(sink, {
    sheetName: translate(lang, 'reportBase.template.sheet'),
    headers: templateHeaders('roster', lang),
    notes: [
      translate(lang, 'reportBase.template.note.id'),
      translate(lang, 'reportBase.template.note.hours'),
      translate(lang, 'reportBase.template.note.onePerson'),
      translate(lang, 'reportBase.template.note.formats', { rows }),
    ],
  })
  return new Response(Buffer.concat(chunks), { status: 200, headers: attachment(translate(lang, 'reportBase.template.filename')) })
}

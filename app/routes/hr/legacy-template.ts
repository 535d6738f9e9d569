import { PassThrough } from 'node:stream'

import type { LoaderFunctionArgs } from '@remix-run/node'

import { templateHeaders } from '#app/domain/imports/rows.ts'
import { writeTemplate } from '#app/domain/imports/workbook-writer.server.ts'
import { translate } from '#app/i18n/catalog.server.ts'
import { getLang } from '#app/i18n/lang.server.ts'

import { requireProvinceHr } from './legacy-helpers.server.ts'

/** GET /hr/legacy-template.xlsx — the legacy-hours template (province HR), headers in the officer's language. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireProvinceHr(request)
  const lang = getLang(request)
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (c: Buffer) => chunks.push(c))
  await writeTemplate(out, {
    sheetName: translate(lang, 'legacy.template.sheet'),
    headers: templateHeaders('legacy', lang),
    notes: (['legacy.template.note1', 'legacy.template.note2', 'legacy.template.note3', 'legacy.template.note4'] as const).map((k) =>
      translate(lang, k),
    ),
    example: [
      translate(lang, 'legacy.template.exampleName'),
      '220102198001010000',
      '2023',
      translate(lang, 'legacy.template.exampleCategory'),
      '24',
      translate(lang, 'legacy.template.exampleSource'),
    ],
  })
  return new Response(Buffer.concat(chunks), {
    status: 200,
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="legacy-hours-template.xlsx"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}

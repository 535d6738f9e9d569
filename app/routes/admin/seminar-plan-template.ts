import { PassThrough } from 'node:stream'

import type { LoaderFunctionArgs } from '@remix-run/node'

import { requireRole } from '#app/auth/auth.server.ts'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import { writeTemplate } from '#app/domain/imports/workbook-writer.server.ts'
import { hostBaseOptions } from '#app/domain/seminars/plan.server.ts'
import { PLAN_COLUMNS, templateExample } from '#app/domain/seminars/plan-import.server.ts'
import { translate } from '#app/i18n/catalog.server.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import { getDb } from '#app/lib/db.server.ts'

/**
 * GET /admin/seminars/plan-template.xlsx — the seminar plan template: Chinese headers (the import
 * accepts the English ones too; required ones marked *), one example row, a notes sheet.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['admin'])
  const lang = getLang(request)
  const bases = await hostBaseOptions(getDb())
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (c: Buffer) => chunks.push(c))
  await writeTemplate(out, {
    sheetName: translate(lang, 'seminarImport.template.sheet'),
    headers: PLAN_COLUMNS.map((c) => `${c.required ? '*' : ''}${c.headers[0]}`),
    notes: (
      [
        'seminarImport.template.note1',
        'seminarImport.template.note2',
        'seminarImport.template.note3',
        'seminarImport.template.note4',
      ] as const
    ).map((k) => translate(lang, k)),
    example: templateExample(chinaDay(), bases[0]?.name ?? '吉林省某继续教育基地'),
    // Dates and quota lists stay text, so Excel neither reformats 2026-03-05 nor reads 22:20 as a time.
    textColumns: PLAN_COLUMNS.map((_, i) => i),
  })
  return new Response(Buffer.concat(chunks), {
    status: 200,
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': 'attachment; filename="seminar-plan-template.xlsx"',
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}

import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { requireRole } from '#app/auth/auth.server.ts'
import { FileField, FormAlert, Notice } from '#app/components/form.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { IMPORT_ACCEPT } from '#app/domain/imports/imports.server.ts'
import { importPlan, PLAN_MAX_BYTES, PLAN_MAX_ROWS, type PlanColumn } from '#app/domain/seminars/plan-import.server.ts'
import { isMessageKey, translate } from '#app/i18n/catalog.server.ts'
import { formatHours, pageTitle, useT } from '#app/i18n/index.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { readUpload } from '#app/lib/upload.server.ts'

// URL /admin/seminars/import: the province admin uploads the year's plan file; every row becomes a
// draft seminar, or, when any row has a problem, nothing is created and every problem is listed.
export const meta = pageTitle('seminarImport.title')

const MAX_MB = PLAN_MAX_BYTES / 1024 / 1024

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['admin'])
  return { accept: IMPORT_ACCEPT, maxMb: MAX_MB, maxRows: PLAN_MAX_ROWS }
}

type Problem = { row: number; column: PlanColumn; message: string }
type ActionData = { result: SubmissionResult; problems?: Problem[]; created?: number }

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, ['admin'])
  const lang = getLang(request)
  const tooLarge = translate(lang, 'seminarImport.code.file_too_large', { mb: MAX_MB })
  const upload = await readUpload(request, { fileField: 'plan', maxFileBytes: PLAN_MAX_BYTES })
  if (!upload.ok) {
    const error: Record<string, string[]> = upload.problem === 'too_large' ? { plan: [tooLarge] } : { '': ['err.upload'] }
    return data<ActionData>({ result: { status: 'error', error } }, { status: upload.problem === 'too_large' ? 413 : 400 })
  }
  const r = await importPlan(getDb(), admin, upload.file)
  if (r.ok) return data<ActionData>({ result: { status: 'success' }, created: r.seminarIds.length })
  if (r.code === 'rows_invalid') {
    // Worded here: the messages carry parameters (the limit of hours, the wrong quota item).
    const problems = (r.problems ?? []).map((p) => ({
      row: p.row,
      column: p.column,
      message: translateIssue(lang, p.message, p.params),
    }))
    return data<ActionData>({ result: { status: 'error', error: { '': ['seminarImport.code.rows_invalid'] } }, problems }, { status: 400 })
  }
  const message =
    r.code === 'file_too_large'
      ? tooLarge
      : translate(lang, `seminarImport.code.${r.code}`, { limit: r.limit ?? PLAN_MAX_ROWS, columns: r.detail ?? '' })
  return data<ActionData>({ result: { status: 'error', error: { plan: [message] } } }, { status: r.code === 'file_too_large' ? 413 : 400 })
}

function translateIssue(lang: ReturnType<typeof getLang>, key: string, params?: Record<string, string>): string {
  if (!isMessageKey(key)) return key
  return translate(lang, key, params?.max === undefined ? params : { ...params, max: formatHours(params.max) })
}

export default function AdminSeminarImport() {
  const { accept, maxMb, maxRows } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const [form, fields] = useForm<{ plan: File }>({ id: 'plan-upload', lastResult: actionData?.result })
  const formError = actionData?.result.error?.['']?.[0]
  const problems = actionData?.problems ?? []
  const columns: Column<Problem>[] = [
    { key: 'row', header: t('seminarImport.col.row'), rowHeader: true, numeric: true, nowrap: true, cell: (p) => p.row },
    { key: 'column', header: t('seminarImport.col.column'), nowrap: true, cell: (p) => t(`seminarImport.col.${p.column}`) },
    { key: 'message', header: t('seminarImport.col.message'), main: true, cell: (p) => p.message },
  ]
  return (
    <>
      <p className="small">
        <Link to="/admin/seminars">← {t('seminarImport.back')}</Link>
      </p>
      <h1>{t('seminarImport.title')}</h1>
      <p className="lead">{t('seminarImport.lead')}</p>
      {actionData?.created !== undefined ? <Notice>{t('seminarImport.done', { count: actionData.created })}</Notice> : null}
      {formError ? <FormAlert>{t.issue(formError)}</FormAlert> : null}
      <section className="panel" aria-labelledby="upload-title">
        <h2 id="upload-title">{t('seminarImport.file')}</h2>
        <p>
          <a href="/admin/seminars/plan-template.xlsx" download>
            {t('seminarImport.template')}
          </a>
        </p>
        <Form method="post" encType="multipart/form-data" className="stack" {...getFormProps(form)}>
          <FileField
            meta={fields.plan}
            label={t('seminarImport.file')}
            hint={t('seminarImport.file.hint', { mb: maxMb, rows: maxRows })}
            accept={accept}
            required
          />
          <button type="submit" className="button" disabled={busy}>
            {t('seminarImport.submit')}
          </button>
        </Form>
      </section>
      {problems.length > 0 ? (
        <section className="panel" aria-labelledby="problems-title">
          <h2 id="problems-title">{t('seminarImport.problemsTitle')}</h2>
          <p>{t('seminarImport.problemsLead', { count: problems.length })}</p>
          <DataTable
            caption={t('seminarImport.problemsTitle')}
            columns={columns}
            rows={problems}
            rowKey={(p) => `${p.row}-${p.column}-${p.message}`}
          />
        </section>
      ) : null}
    </>
  )
}

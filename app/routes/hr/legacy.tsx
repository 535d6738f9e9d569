import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { FileField, FormAlert, useErrorText } from '#app/components/form.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { createImport, IMPORT_ACCEPT, legacyImports, maxImportBytes, type UploadCode } from '#app/domain/imports/imports.server.ts'
import { translate } from '#app/i18n/catalog.server.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { readUpload } from '#app/lib/upload.server.ts'

import { requireProvinceHr } from './legacy-helpers.server.ts'

export const meta = pageTitle('legacy.title')

export async function loader({ request }: LoaderFunctionArgs) {
  await requireProvinceHr(request)
  const rows = await legacyImports(getDb())
  return {
    accept: IMPORT_ACCEPT,
    maxMb: Math.floor(maxImportBytes() / 1024 / 1024),
    imports: rows.map((f) => ({
      id: f.id,
      filename: f.filename,
      status: f.status,
      rowsRead: f.rows_read,
      rowsError: f.rows_error,
      credited: f.outcome?.credited ?? null,
      createdAt: f.created_at.toISOString(),
      uploader: f.uploader,
    })),
  }
}

type ActionData = { result: SubmissionResult }

/** Refusals about the file itself go beside the file field. */
const FILE_CODES = new Set<UploadCode>(['file_required', 'file_too_large', 'empty', 'xls_old_format', 'not_table'])

export async function action({ request }: ActionFunctionArgs) {
  const hr = await requireProvinceHr(request)
  const lang = getLang(request)
  const maxBytes = maxImportBytes()
  const tooLarge = translate(lang, 'importError.file_too_large', { mb: Math.floor(maxBytes / 1024 / 1024) })
  const upload = await readUpload(request, { fileField: 'legacy', maxFileBytes: maxBytes })
  if (!upload.ok) {
    const error: Record<string, string[]> = upload.problem === 'too_large' ? { legacy: [tooLarge] } : { '': ['err.upload'] }
    return data<ActionData>({ result: { status: 'error', error } }, { status: upload.problem === 'too_large' ? 413 : 400 })
  }
  const r = await getDb()
    .transaction()
    .execute((trx) => createImport(trx, hr.owner, { file: upload.file }))
  if (!r.ok) {
    const message = r.code === 'file_too_large' ? tooLarge : `importError.${r.code}`
    const error: Record<string, string[]> = FILE_CODES.has(r.code) ? { legacy: [message] } : { '': [message] }
    return data<ActionData>({ result: { status: 'error', error } }, { status: 400 })
  }
  return redirect(`/hr/legacy/${r.importId}`)
}

export default function HrLegacy() {
  const { accept, maxMb, imports } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const [form, fields] = useForm<{ legacy: File }>({ id: 'legacy-upload', lastResult: actionData?.result })
  const formError = useErrorText(actionData?.result.error?.[''] ?? undefined)
  type Row = (typeof imports)[number]
  const columns: Column<Row>[] = [
    {
      key: 'file',
      header: t('reviews.col.file'),
      rowHeader: true,
      cell: (f) => (
        <>
          <Link to={`/hr/legacy/${f.id}`}>{f.filename}</Link>
          <div className="small muted">
            {f.uploader} · {formatDate(lang, f.createdAt, 'date')}
          </div>
        </>
      ),
    },
    { key: 'status', header: t('reviews.col.state'), cell: (f) => t.issue(`importStatus.${f.status}`) },
    {
      key: 'rows',
      header: t('legacy.col.rows'),
      cell: (f) =>
        f.credited !== null
          ? t('legacy.credited', { count: f.credited, rows: f.rowsRead })
          : t('reviews.rowsRead', { rows: f.rowsRead, errors: f.rowsError }),
    },
  ]
  return (
    <>
      <p className="small">
        <Link to="/hr">← {t('hr.title')}</Link>
      </p>
      <h1>{t('legacy.title')}</h1>
      <p className="lead">{t('legacy.lead')}</p>
      <section className="panel" aria-labelledby="upload-title">
        <h2 id="upload-title">{t('legacy.upload')}</h2>
        <p>
          <a href="/hr/legacy-template.xlsx" download>
            {t('legacy.template')}
          </a>
        </p>
        {formError ? <FormAlert>{formError}</FormAlert> : null}
        <Form method="post" encType="multipart/form-data" className="stack" {...getFormProps(form)}>
          <FileField meta={fields.legacy} label={t('legacy.file')} hint={t('legacy.file.hint', { mb: maxMb })} accept={accept} required />
          <button type="submit" className="button" disabled={busy}>
            {t('legacy.submit')}
          </button>
        </Form>
      </section>
      <section className="panel" aria-labelledby="imports-title">
        <h2 id="imports-title">{t('legacy.imports')}</h2>
        {imports.length === 0 ? (
          <p className="muted">{t('legacy.none')}</p>
        ) : (
          <DataTable caption={t('legacy.imports')} columns={columns} rows={imports} rowKey={(f) => f.id} />
        )}
      </section>
    </>
  )
}

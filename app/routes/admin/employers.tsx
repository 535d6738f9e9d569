import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireRole } from '#app/auth/auth.server.ts'
import { ANSWERED_ELSEWHERE, FormAlert, Notice, SelectField, TextField } from '#app/components/form.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { EMPLOYER_NAME_MAX, EmployerActionSchema, EmployerSearchSchema } from '#app/domain/employers/employers.schema.ts'
import { createEmployer, listEmployers, matchAll, unmatchedEmployerTexts } from '#app/domain/employers/employers.server.ts'
import { regionName, REGIONS } from '#app/domain/shared/reference.ts'
import { formatDate, formatList, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('employers.title')

const LIST_LIMIT = 200

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['admin'])
  const params = new URL(request.url).searchParams
  const search = EmployerSearchSchema.parse({ region: params.get('region') ?? undefined, q: params.get('q') ?? undefined })
  // "Register as employer" on an unmatched name comes back here with the form's values.
  const prefill = EmployerSearchSchema.parse({ region: params.get('newRegion') ?? undefined, q: params.get('newName') ?? undefined })
  const db = getDb()
  const [list, unmatched] = await Promise.all([
    listEmployers(db, { ...search, limit: LIST_LIMIT }),
    unmatchedEmployerTexts(db, search.region, 50),
  ])
  return {
    search: { region: search.region ?? '', q: search.q ?? '' },
    prefill: { name: prefill.q ?? '', region: prefill.region ?? '' },
    employers: list.rows.map((e) => ({ ...e, createdAt: new Date(e.createdAt).toISOString() })),
    more: list.more,
    unmatched,
  }
}

type ActionData =
  | { intent: 'create'; ok: true; name: string; matched: number; result: SubmissionResult }
  | { intent: 'create'; ok: false; result: SubmissionResult }
  | { intent: 'match-all'; ok: true; matched: number }

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, ['admin'])
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: EmployerActionSchema, disableAutoCoercion: true })
  const db = getDb()
  if (submission.status === 'success' && submission.value.intent === 'match-all') {
    const matched = await db.transaction().execute((trx) => matchAll(trx, { accountId: admin.accountId }))
    return { intent: 'match-all', ok: true, matched } satisfies ActionData
  }
  if (submission.status !== 'success' || submission.value.intent !== 'create')
    return data<ActionData>({ intent: 'create', ok: false, result: submission.reply() }, { status: 400 })
  const { name, creditCode, region } = submission.value
  const result = await db
    .transaction()
    .execute((trx) => createEmployer(trx, { accountId: admin.accountId }, { name, creditCode: creditCode ?? undefined, region }))
  if (result.ok)
    return {
      intent: 'create',
      ok: true,
      name,
      matched: result.matched,
      result: submission.reply({ resetForm: true }),
    } satisfies ActionData
  return data<ActionData>(
    { intent: 'create', ok: false, result: submission.reply({ fieldErrors: result.errors ?? { _: ['err.form'] } }) },
    { status: 400 },
  )
}

type EmployerView = ReturnType<typeof useLoaderData<typeof loader>>['employers'][number]
type UnmatchedView = ReturnType<typeof useLoaderData<typeof loader>>['unmatched'][number]

export default function AdminEmployers() {
  const d = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const t = useT()
  const lang = useLang()
  const created = actionData?.intent === 'create' && actionData.ok ? actionData : undefined

  const prefillLink = (u: UnmatchedView) => {
    const p = new URLSearchParams()
    if (d.search.region) p.set('region', d.search.region)
    if (d.search.q) p.set('q', d.search.q)
    p.set('newName', u.text)
    p.set('newRegion', u.regionCode)
    return `?${p.toString()}#employer-create`
  }

  const columns: Column<EmployerView>[] = [
    { key: 'name', header: t('employers.col.name'), rowHeader: true, cell: (e) => e.name },
    { key: 'region', header: t('employers.col.region'), cell: (e) => regionName(e.regionCode, lang) },
    {
      key: 'code',
      header: t('employers.col.creditCode'),
      nowrap: true,
      cell: (e) => (e.creditCode ? <span className="mono">{e.creditCode}</span> : '—'),
    },
    { key: 'people', header: t('employers.col.people'), numeric: true, cell: (e) => e.people },
    { key: 'created', header: t('employers.col.created'), nowrap: true, cell: (e) => formatDate(lang, e.createdAt, 'date') },
  ]
  const unmatchedColumns: Column<UnmatchedView>[] = [
    {
      key: 'text',
      header: t('employers.unmatched.text'),
      rowHeader: true,
      cell: (u) => (
        <>
          {u.text}
          {u.spellings.length > 1 ? (
            <div className="small muted">{t('employers.unmatched.spellings', { list: formatList(lang, u.spellings.slice(1)) })}</div>
          ) : null}
        </>
      ),
    },
    { key: 'region', header: t('employers.col.region'), cell: (u) => regionName(u.regionCode, lang) },
    { key: 'people', header: t('employers.unmatched.people'), numeric: true, cell: (u) => u.people },
    {
      key: 'create',
      header: t('table.actions'),
      main: true,
      cell: (u) => (
        <Link to={prefillLink(u)} aria-label={t('employers.unmatched.createLabel', { text: u.text })}>
          {t('employers.unmatched.create')}
        </Link>
      ),
    },
  ]

  return (
    <>
      <h1>{t('employers.title')}</h1>
      <p className="lead">{t('employers.lead')}</p>
      {created ? <Notice>{t('employers.created', { name: created.name, count: created.matched })}</Notice> : null}
      {actionData?.intent === 'match-all' ? <Notice>{t('employers.matchAll.done', { count: actionData.matched })}</Notice> : null}

      <Form method="get" className="panel filters" aria-labelledby="employers-search">
        <h2 id="employers-search" className="sr-only">
          {t('employers.search')}
        </h2>
        <div className="field">
          <label htmlFor="employers-q">{t('employers.search.q')}</label>
          <input id="employers-q" type="search" name="q" defaultValue={d.search.q} maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="employers-region">{t('employers.search.region')}</label>
          <select id="employers-region" name="region" defaultValue={d.search.region}>
            <option value="">{t('employers.search.anyRegion')}</option>
            {REGIONS.map((r) => (
              <option key={r.code} value={r.code}>
                {r[lang]}
              </option>
            ))}
          </select>
        </div>
        <div className="filters-actions">
          <button type="submit" className="button">
            {t('employers.search.apply')}
          </button>
          {d.search.q || d.search.region ? <Link to="/admin/employers">{t('employers.search.clear')}</Link> : null}
        </div>
      </Form>

      {d.employers.length === 0 ? (
        <p className="muted">{t('employers.none')}</p>
      ) : (
        <DataTable caption={t('employers.title')} columns={columns} rows={d.employers} rowKey={(e) => e.id} />
      )}
      {d.more ? <p className="muted">{t('employers.more', { count: LIST_LIMIT })}</p> : null}

      <CreateEmployerForm
        // A new prefill (or a created employer) starts the form afresh with its values.
        key={`${d.prefill.region}\u0001${d.prefill.name}\u0001${created ? created.name : ''}`}
        prefill={d.prefill}
        lastResult={actionData ? (actionData.intent === 'create' ? actionData.result : ANSWERED_ELSEWHERE) : undefined}
      />

      <section className="panel" aria-labelledby="employers-unmatched">
        <h2 id="employers-unmatched">{t('employers.unmatched.title')}</h2>
        <p className="muted">{t('employers.unmatched.lead')}</p>
        {d.unmatched.length === 0 ? (
          <p className="muted">{t('employers.unmatched.none')}</p>
        ) : (
          <DataTable
            caption={t('employers.unmatched.title')}
            columns={unmatchedColumns}
            rows={d.unmatched}
            rowKey={(u) => `${u.regionCode}:${u.text}`}
          />
        )}
        <Form method="post" className="stack">
          <p className="small muted">{t('employers.matchAll.lead')}</p>
          <p>
            <button type="submit" name="intent" value="match-all" className="button button-secondary">
              {t('employers.matchAll.submit')}
            </button>
          </p>
        </Form>
      </section>
    </>
  )
}

function CreateEmployerForm({
  prefill,
  lastResult,
}: {
  prefill: { name: string; region: string }
  lastResult: SubmissionResult | undefined
}) {
  const t = useT()
  const lang = useLang()
  const busy = useNavigation().state === 'submitting'
  const [form, fields] = useForm<z.input<typeof EmployerActionSchema>>({
    id: 'employer-create',
    lastResult,
    defaultValue: { name: prefill.name, region: prefill.region, creditCode: '' },
  })
  return (
    <section className="panel form-page" aria-labelledby="employer-create-title" id="employer-create">
      <h2 id="employer-create-title">{t('employers.create.title')}</h2>
      {form.status === 'error' ? <FormAlert>{t('err.form')}</FormAlert> : null}
      <Form method="post" className="stack" {...getFormProps(form)}>
        <TextField
          meta={fields.name}
          label={t('employers.create.name')}
          hint={t('employers.create.nameHint')}
          required
          maxLength={EMPLOYER_NAME_MAX}
        />
        <TextField
          meta={fields.creditCode}
          label={t('employers.create.creditCode')}
          hint={t('employers.create.creditCodeHint')}
          maxLength={18}
        />
        <SelectField
          meta={fields.region}
          label={t('employers.create.region')}
          required
          placeholder={t('field.choose')}
          options={REGIONS.map((r) => ({ value: r.code, label: r[lang] }))}
        />
        <button type="submit" name="intent" value="create" className="button" disabled={busy}>
          {t('employers.create.submit')}
        </button>
      </Form>
    </section>
  )
}

import { type FieldMetadata, getFormProps, getSelectProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireHr } from '#app/auth/hr.server.ts'
import { FormAlert, TextAreaField, TextField, useErrorText } from '#app/components/form.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { MESSAGE_MAX, NewCampaignSchema, TITLE_MAX } from '#app/domain/compliance/campaigns.schema.ts'
import { createCampaign, employerNames, listCampaigns } from '#app/domain/compliance/campaigns.server.ts'
import { filterToParams, STATUSES } from '#app/domain/compliance/filter.ts'
import { coveredYears } from '#app/domain/compliance/people.server.ts'
import { regionName, REGIONS, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { isProvinceScope } from '#app/domain/shared/scope.ts'
import { formatDate, type MessageKey, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

import { filterSummary, withCatalogKeys } from './compliance-campaign-helpers.ts'

// URL /hr/compliance/campaigns?year=2026&status=short&region=220100 (the dashboard's links prefill the form)
export const meta = pageTitle('complianceCampaigns.title')

const FILTER_FIELDS = ['year', 'status', 'region', 'employer', 'series', 'level', 'integrity'] as const

export async function loader({ request }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const db = getDb()
  const q = new URL(request.url).searchParams
  const [campaigns, years] = await Promise.all([listCampaigns(db, hr.scopeRegion), coveredYears(db)])
  const prefillEmployer = /^[1-9]\d{0,17}$/.test(q.get('employer') ?? '') ? Number(q.get('employer')) : null
  const names = await employerNames(db, [
    ...campaigns.flatMap((c) => (c.filter.employer ? [c.filter.employer] : [])),
    ...(prefillEmployer ? [prefillEmployer] : []),
  ])
  // Only what the query names; the action checks every value again.
  const defaults: Record<string, string> = { year: String(years[0] ?? ''), status: 'short' }
  for (const k of FILTER_FIELDS) {
    const v = q.get(k)
    if (v) defaults[k] = v.slice(0, 20)
  }
  return {
    province: isProvinceScope(hr.scopeRegion),
    scopeRegion: hr.scopeRegion,
    years,
    defaults,
    employerName: prefillEmployer ? (names.get(prefillEmployer) ?? null) : null,
    campaigns: campaigns.map((c) => ({
      id: c.id,
      title: c.title,
      filter: Object.fromEntries(filterToParams(c.filter)),
      employerName: c.filter.employer ? (names.get(c.filter.employer) ?? null) : null,
      status: c.status,
      recipientsTotal: c.recipientsTotal,
      delivered: c.delivered,
      read: c.read,
      createdAt: c.createdAt.toISOString(),
    })),
  }
}

type ActionData = { result: SubmissionResult }

const FIELD_OF: Record<string, string> = {
  region_out_of_scope: 'region',
  year_not_covered: 'year',
  title_required: 'title',
  title_too_long: 'title',
  message_required: 'message',
  message_too_long: 'message',
}

export async function action({ request }: ActionFunctionArgs) {
  const hr = await requireHr(request)
  const submission = parseWithZod(await request.formData(), { schema: NewCampaignSchema })
  if (submission.status !== 'success') return data<ActionData>({ result: withCatalogKeys(submission.reply()) }, { status: 400 })
  const { title, message, ...filter } = submission.value
  const created = await createCampaign(getDb(), hr, { filter, title, message })
  if (!created.ok) {
    const key = `complianceCampaigns.err.${created.code}`
    const field = FIELD_OF[created.code]
    const problems = (created.problems ?? []).map((p) => `complianceCampaigns.err.${p}`)
    const reply = field
      ? submission.reply({ fieldErrors: { [field]: [key] } })
      : submission.reply({ formErrors: problems.length ? problems : [key] })
    return data<ActionData>({ result: reply }, { status: 400 })
  }
  return redirect(`/hr/compliance/campaigns/${created.campaignId}`)
}

/** A select whose empty option ("any") is a real choice, unlike the form kit's placeholder. */
function Choice({
  meta,
  label,
  options,
  any,
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any form's field
  meta: FieldMetadata<any, any, string[]>
  label: string
  options: { value: string; label: string }[]
  any?: string
}) {
  const error = useErrorText(meta.errors)
  const { key, ...select } = getSelectProps(meta)
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={meta.id}>{label}</label>
      <select key={key} {...select} defaultValue={select.defaultValue ?? ''}>
        {any !== undefined ? <option value="">{any}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? (
        <p className="field-error" id={meta.errorId} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  )
}

export default function HrComplianceCampaigns() {
  const { campaigns, years, defaults, province, scopeRegion, employerName } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const [form, fields] = useForm<z.input<typeof NewCampaignSchema>>({
    id: 'new-campaign',
    lastResult: actionData?.result,
    defaultValue: defaults,
    shouldValidate: 'onSubmit',
  })
  const formError = useErrorText(form.errors)
  type Row = (typeof campaigns)[number]
  const columns: Column<Row>[] = [
    {
      key: 'title',
      header: t('complianceCampaigns.col.title'),
      rowHeader: true,
      cell: (c) => <Link to={`/hr/compliance/campaigns/${c.id}`}>{c.title}</Link>,
    },
    { key: 'filter', header: t('complianceCampaigns.col.filter'), cell: (c) => filterSummary(c.filter, t, lang, c.employerName) },
    {
      key: 'status',
      header: t('complianceCampaigns.col.status'),
      nowrap: true,
      cell: (c) => t(`complianceCampaigns.state.${c.status}` as MessageKey),
    },
    { key: 'recipients', header: t('complianceCampaigns.col.recipients'), numeric: true, cell: (c) => c.recipientsTotal ?? '—' },
    {
      key: 'delivered',
      header: t('complianceCampaigns.col.delivered'),
      numeric: true,
      cell: (c) => (c.status === 'draft' ? '—' : c.delivered),
    },
    { key: 'read', header: t('complianceCampaigns.col.read'), numeric: true, cell: (c) => (c.status === 'draft' ? '—' : c.read) },
    { key: 'created', header: t('complianceCampaigns.col.created'), nowrap: true, cell: (c) => formatDate(lang, c.createdAt, 'date') },
  ]
  const regionOptions = province
    ? REGIONS.map((r) => ({ value: r.code, label: r[lang] }))
    : [{ value: scopeRegion, label: regionName(scopeRegion, lang) }]
  return (
    <>
      <p className="small">
        <Link to="/hr/compliance">← {t('compliance.title')}</Link>
      </p>
      <h1>{t('complianceCampaigns.title')}</h1>
      <p className="lead">{t('complianceCampaigns.lead')}</p>
      <section className="panel" aria-labelledby="campaigns-title">
        <h2 id="campaigns-title">{t('complianceCampaigns.list.title')}</h2>
        {campaigns.length === 0 ? (
          <p className="muted">{t('complianceCampaigns.list.none')}</p>
        ) : (
          <DataTable columns={columns} rows={campaigns} rowKey={(c) => c.id} caption={t('complianceCampaigns.list.title')} />
        )}
      </section>
      <section className="panel form-page" aria-labelledby="new-title">
        <h2 id="new-title">{t('complianceCampaigns.new.title')}</h2>
        <p className="muted small">{t('complianceCampaigns.new.lead')}</p>
        {form.status === 'error' ? <FormAlert>{formError ?? t('err.form')}</FormAlert> : null}
        <Form method="post" className="stack" {...getFormProps(form)}>
          <fieldset className="stack">
            <legend>{t('complianceCampaigns.new.who')}</legend>
            <Choice
              meta={fields.year}
              label={t('complianceCampaigns.field.year')}
              options={years.map((y) => ({ value: String(y), label: String(y) }))}
            />
            <Choice
              meta={fields.status}
              label={t('complianceCampaigns.field.status')}
              options={STATUSES.map((s) => ({ value: s, label: t(`complianceCampaigns.status.${s}`) }))}
            />
            <Choice
              meta={fields.region}
              label={t('complianceCampaigns.field.region')}
              options={regionOptions}
              any={t('complianceCampaigns.filter.wholeScope')}
            />
            {defaults.employer ? (
              <Choice
                meta={fields.employer}
                label={t('complianceCampaigns.field.employer')}
                options={[
                  {
                    value: defaults.employer,
                    label: employerName ?? t('complianceCampaigns.filter.employerId', { id: defaults.employer }),
                  },
                ]}
                any={t('complianceCampaigns.filter.any')}
              />
            ) : null}
            <Choice
              meta={fields.series}
              label={t('complianceCampaigns.field.series')}
              options={TITLE_SERIES.map((s) => ({ value: s.code, label: s[lang] }))}
              any={t('complianceCampaigns.filter.any')}
            />
            <Choice
              meta={fields.level}
              label={t('complianceCampaigns.field.level')}
              options={TITLE_LEVELS.map((l) => ({ value: l.code, label: l[lang] }))}
              any={t('complianceCampaigns.filter.any')}
            />
            <Choice
              meta={fields.integrity}
              label={t('complianceCampaigns.field.integrity')}
              options={[
                { value: 'any', label: t('complianceCampaigns.filter.any') },
                { value: 'in_force', label: t('complianceCampaigns.filter.integrityInForce') },
              ]}
            />
          </fieldset>
          <TextField meta={fields.title} label={t('complianceCampaigns.field.title')} required maxLength={TITLE_MAX} />
          <TextAreaField
            meta={fields.message}
            label={t('complianceCampaigns.field.message')}
            hint={t('complianceCampaigns.field.message.hint', { max: MESSAGE_MAX })}
            rows={5}
            maxLength={MESSAGE_MAX}
            required
          />
          <button type="submit" className="button" disabled={busy}>
            {t('complianceCampaigns.new.submit')}
          </button>
        </Form>
      </section>
    </>
  )
}

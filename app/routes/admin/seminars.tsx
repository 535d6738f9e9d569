import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireRole } from '#app/auth/auth.server.ts'
import { categoryOptions } from '#app/components/category.ts'
import { ANSWERED_ELSEWHERE, FormAlert, namedOptions, Notice, SelectField, TextField, useErrorText } from '#app/components/form.tsx'
import { scopeName } from '#app/components/seminars/seats.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import { reportsPolicyOn } from '#app/domain/policy/reports-policy.server.ts'
import { PublishSchema, QUOTA_ROWS, QuotaSizeSchema, SeminarSchema } from '#app/domain/seminars/plan.schema.ts'
import {
  CREATE_FIELD,
  createSeminar,
  hostBaseOptions,
  listSeminars,
  publishSeminar,
  updateQuota,
} from '#app/domain/seminars/plan.server.ts'
import { PROVINCES } from '#app/domain/seminars/provinces.ts'
import { type Named, PROVINCE, REGIONS, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { translate } from '#app/i18n/catalog.server.ts'
import { formatDate, formatHours, type Lang, pageTitle, type T, useLang, useT } from '#app/i18n/index.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /admin/seminars: the seminar plan (高级研修班计划) from this year on, with seats taken,
// creating a seminar (a draft) and publishing it.
export const meta = pageTitle('seminarsAdmin.title')

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['admin'])
  const today = chinaDay()
  const db = getDb()
  const [rows, bases] = await Promise.all([listSeminars(db, { from: `${today.slice(0, 4)}-01-01` }), hostBaseOptions(db)])
  const policy = reportsPolicyOn(today)
  return {
    limits: { full: policy.hoursPerDay.full, half: policy.hoursPerDay.half },
    bases: bases.map((b) => ({ value: String(b.id), label: b.name })),
    seminars: rows.map((s) => ({
      id: s.id,
      title: s.title,
      level: s.level,
      host: s.host_name,
      startDate: s.start_date,
      endDate: s.end_date,
      hours: s.declared_hours,
      status: s.status,
      taken: s.taken,
      capacity: s.capacity,
      quotas: s.quotas.filter((q) => q.scope !== 'open').map((q) => ({ scope: q.scope, size: q.size, taken: q.taken })),
    })),
  }
}

type ActionData = { intent: 'create' | 'publish' | 'quota'; result: SubmissionResult; done?: boolean }

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, ['admin'])
  const formData = await request.formData()
  const db = getDb()
  if (formData.get('intent') === 'publish') {
    const submission = parseWithZod(formData, { schema: PublishSchema, disableAutoCoercion: true })
    if (submission.status !== 'success' || !isConfirmed(formData)) {
      return data<ActionData>({ intent: 'publish', result: submission.reply({ formErrors: ['err.confirm'] }) }, { status: 400 })
    }
    const r = await db.transaction().execute((trx) => publishSeminar(trx, admin, submission.value.seminarId))
    if (!r.ok) {
      if (r.code === 'not_found') throw new Response('Not Found', { status: 404 })
      return data<ActionData>(
        { intent: 'publish', result: submission.reply({ formErrors: [`seminarsAdmin.code.${r.code}`] }) },
        { status: 409 },
      )
    }
    return data<ActionData>({ intent: 'publish', result: submission.reply(), done: true })
  }
  if (formData.get('intent') === 'quota') {
    const submission = parseWithZod(formData, { schema: QuotaSizeSchema, disableAutoCoercion: true })
    if (submission.status !== 'success') return data<ActionData>({ intent: 'quota', result: submission.reply() }, { status: 400 })
    const r = await db.transaction().execute((trx) => updateQuota(trx, admin, submission.value))
    if (!r.ok) {
      if (r.code === 'not_found') throw new Response('Not Found', { status: 404 })
      // Refusals name the seats already taken, so they are worded here.
      const message = translate(getLang(request), `seminarsAdmin.code.${r.code}`, { taken: r.taken ?? 0 })
      return data<ActionData>({ intent: 'quota', result: submission.reply({ formErrors: [message] }) }, { status: 409 })
    }
    return data<ActionData>({ intent: 'quota', result: submission.reply(), done: true })
  }
  const submission = parseWithZod(formData, { schema: SeminarSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data<ActionData>({ intent: 'create', result: submission.reply() }, { status: 400 })
  const r = await db.transaction().execute((trx) => createSeminar(trx, admin, submission.value))
  if (!r.ok) {
    // The one refusal with a number in it is worded here; the others stay catalog keys.
    const message =
      r.code === 'hours_over_limit'
        ? translate(getLang(request), 'seminarsAdmin.code.hours_over_limit', { max: formatHours(r.max ?? '0') })
        : `seminarsAdmin.code.${r.code}`
    return data<ActionData>(
      { intent: 'create', result: submission.reply({ fieldErrors: { [CREATE_FIELD[r.code]]: [message] } }) },
      { status: 400 },
    )
  }
  return data<ActionData>({ intent: 'create', result: submission.reply({ resetForm: true }), done: true })
}

function Checkboxes({
  name,
  legend,
  list,
  lang,
  errors,
}: {
  name: string
  legend: string
  list: readonly Named[]
  lang: Lang
  errors?: string[]
}) {
  const error = useErrorText(errors)
  const errorId = `seminar-${name}-error`
  return (
    <fieldset className={`field${error ? ' field-invalid' : ''}`} aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      {namedOptions(list, lang).map((o) => (
        <label key={o.value} className="checkbox">
          <input type="checkbox" name={name} value={o.value} /> {o.label}
        </label>
      ))}
      {error ? (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  )
}

function scopeOptions(t: T, lang: Lang) {
  return [
    ...PROVINCES.map((p) => ({ value: `province:${p.code}`, label: t('seminarsAdmin.scope.province', { name: p[lang] }) })),
    ...REGIONS.filter((r) => /^\d{6}$/.test(r.code)).map((r) => ({
      value: `region:${r.code}`,
      label: t('seminarsAdmin.scope.region', { name: r[lang] }),
    })),
  ]
}

export default function AdminSeminars() {
  const { seminars, bases, limits } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const [form, fields] = useForm<z.input<typeof SeminarSchema>>({
    id: 'seminar',
    lastResult: actionData ? (actionData.intent === 'create' ? actionData.result : ANSWERED_ELSEWHERE) : undefined,
  })
  const formError = useErrorText(form.errors)
  const listError =
    actionData?.intent === 'publish' || actionData?.intent === 'quota'
      ? (actionData.result.error?.[''] ?? Object.values(actionData.result.error ?? {}).flat())[0]
      : undefined
  const scopes = scopeOptions(t, lang)
  const day = (d: string) => formatDate(lang, d, 'day')
  type Row = (typeof seminars)[number]
  const columns: Column<Row>[] = [
    {
      key: 'title',
      header: t('seminars.col.title'),
      rowHeader: true,
      cell: (s) => (
        <>
          {s.status === 'draft' ? s.title : <Link to={`/seminars/${s.id}`}>{s.title}</Link>}{' '}
          <span className="small muted">{t(`seminars.level.${s.level}`)}</span>
          <div className="small muted">{s.host}</div>
        </>
      ),
    },
    { key: 'dates', header: t('seminars.col.dates'), cell: (s) => `${day(s.startDate)} – ${day(s.endDate)}` },
    { key: 'hours', header: t('seminars.col.hours'), numeric: true, cell: (s) => formatHours(s.hours) },
    {
      key: 'taken',
      header: t('seminars.col.taken'),
      cell: (s) => (
        <>
          {s.taken} / {s.capacity}
          {s.quotas.map((q) => {
            const id = `quota-${s.id}-${q.scope.replace(':', '-')}`
            return (
              <Form key={q.scope} method="post" className="inline-actions small">
                <input type="hidden" name="seminarId" value={s.id} />
                <input type="hidden" name="scope" value={q.scope} />
                <label htmlFor={id}>
                  {scopeName(q.scope, lang)} {t('seminarsAdmin.quotaTaken', { taken: q.taken })}
                </label>
                <input id={id} name="size" inputMode="numeric" maxLength={4} size={4} defaultValue={q.size} required />
                <button type="submit" name="intent" value="quota" className="link-button" disabled={busy}>
                  {t('seminarsAdmin.quotaSave')}
                </button>
              </Form>
            )
          })}
        </>
      ),
    },
    { key: 'status', header: t('seminars.col.status'), cell: (s) => t(`seminars.status.${s.status}`) },
    {
      key: 'actions',
      header: t('seminarsAdmin.publish'),
      main: true,
      cell: (s) =>
        s.status === 'draft' ? (
          <Confirm
            label={t('seminarsAdmin.publish')}
            triggerLabel={t('seminarsAdmin.publish.label', { title: s.title })}
            title={t('seminarsAdmin.publish.title')}
            body={t('seminarsAdmin.publish.body')}
            confirmLabel={t('seminarsAdmin.publish.confirm')}
            intent="publish"
            fields={{ seminarId: s.id }}
            busy={busy}
            tone="primary"
          />
        ) : null,
    },
  ]
  return (
    <>
      <p className="small">
        <Link to="/admin">← {t('nav.admin')}</Link>
      </p>
      <h1>{t('seminarsAdmin.title')}</h1>
      <p className="lead">{t('seminarsAdmin.lead')}</p>
      <p>
        <Link to="/admin/seminars/import">{t('seminarImport.link')}</Link>
      </p>

      <section className="panel" aria-labelledby="plan-heading">
        <h2 id="plan-heading">{t('seminarsAdmin.list')}</h2>
        {actionData?.intent === 'publish' && actionData.done ? <Notice>{t('seminarsAdmin.published')}</Notice> : null}
        {actionData?.intent === 'quota' && actionData.done ? <Notice>{t('seminarsAdmin.quotaSaved')}</Notice> : null}
        {listError ? <FormAlert>{t.issue(listError)}</FormAlert> : null}
        {seminars.length === 0 ? (
          <p className="muted">{t('seminarsAdmin.none')}</p>
        ) : (
          <DataTable columns={columns} rows={seminars} rowKey={(s) => s.id} caption={t('seminarsAdmin.list')} />
        )}
      </section>

      <section className="panel" aria-labelledby="create-heading">
        <h2 id="create-heading">{t('seminarsAdmin.create')}</h2>
        {actionData?.intent === 'create' && actionData.done ? <Notice>{t('seminarsAdmin.created')}</Notice> : null}
        <Form method="post" className="stack" {...getFormProps(form)}>
          {formError ? <FormAlert>{formError}</FormAlert> : null}
          <h3 id="create-basics">{t('seminarsAdmin.section.basics')}</h3>
          <SelectField
            meta={fields.level}
            label={t('seminarsAdmin.field.level')}
            required
            placeholder={t('field.choose')}
            options={(['national', 'provincial'] as const).map((l) => ({ value: l, label: t(`seminars.level.${l}`) }))}
          />
          <SelectField
            meta={fields.hostBaseId}
            label={t('seminarsAdmin.field.hostBaseId')}
            required
            placeholder={t('field.choose')}
            options={bases}
          />
          <TextField meta={fields.title} label={t('seminarsAdmin.field.title')} required maxLength={200} />
          <SelectField
            meta={fields.category}
            label={t('seminarsAdmin.field.category')}
            required
            placeholder={t('field.choose')}
            options={categoryOptions(t)}
          />
          <Checkboxes
            name="titleSeries"
            legend={t('seminarsAdmin.field.titleSeries')}
            list={TITLE_SERIES}
            lang={lang}
            errors={fields.titleSeries.errors}
          />
          <TextField meta={fields.startDate} type="date" label={t('seminarsAdmin.field.startDate')} required />
          <TextField meta={fields.endDate} type="date" label={t('seminarsAdmin.field.endDate')} required />
          <TextField meta={fields.fullDays} inputMode="numeric" label={t('seminarsAdmin.field.fullDays')} maxLength={3} />
          <TextField meta={fields.halfDays} inputMode="numeric" label={t('seminarsAdmin.field.halfDays')} maxLength={3} />
          <TextField
            meta={fields.declaredHours}
            label={t('seminarsAdmin.field.declaredHours')}
            hint={t('seminarsAdmin.field.declaredHours.hint', limits)}
            required
            maxLength={8}
          />
          <TextField meta={fields.venue} label={t('seminarsAdmin.field.venue')} required maxLength={200} />

          <h3 id="create-seats">{t('seminarsAdmin.section.seats')}</h3>
          <TextField
            meta={fields.capacity}
            inputMode="numeric"
            label={t('seminarsAdmin.field.capacity')}
            hint={t('seminarsAdmin.field.capacity.hint')}
            required
            maxLength={4}
          />
          {QUOTA_ROWS.map((n) => (
            <div key={n} className="field-row">
              <SelectField
                meta={fields[`quota${n}Scope`]}
                label={t('seminarsAdmin.field.quotaScope', { n })}
                placeholder={t('field.choose')}
                options={scopes}
              />
              <TextField
                meta={fields[`quota${n}Size`]}
                inputMode="numeric"
                label={t('seminarsAdmin.field.quotaSize', { n })}
                maxLength={4}
              />
            </div>
          ))}
          <TextField
            meta={fields.releaseOn}
            type="date"
            label={t('seminarsAdmin.field.releaseOn')}
            hint={t('seminarsAdmin.field.releaseOn.hint')}
          />

          <h3 id="create-registration">{t('seminarsAdmin.section.registration')}</h3>
          <TextField meta={fields.opensOn} type="date" label={t('seminarsAdmin.field.opensOn')} required />
          <TextField meta={fields.closesOn} type="date" label={t('seminarsAdmin.field.closesOn')} required />
          <TextField meta={fields.cancelUntil} type="date" label={t('seminarsAdmin.field.cancelUntil')} required />
          <SelectField
            meta={fields.waitlistMode}
            label={t('seminarsAdmin.field.waitlistMode')}
            required
            placeholder={t('field.choose')}
            options={(['auto', 'offer'] as const).map((m) => ({ value: m, label: t(`seminarsAdmin.mode.${m}`) }))}
          />
          <TextField
            meta={fields.offerHours}
            inputMode="numeric"
            label={t('seminarsAdmin.field.offerHours')}
            hint={t('seminarsAdmin.field.offerHours.hint')}
            maxLength={3}
          />

          <h3 id="create-eligibility">{t('seminarsAdmin.section.eligibility')}</h3>
          <Checkboxes
            name="levels"
            legend={t('seminarsAdmin.field.levels')}
            list={TITLE_LEVELS}
            lang={lang}
            errors={fields.levels.errors}
          />
          <Checkboxes
            name="series"
            legend={t('seminarsAdmin.field.series')}
            list={TITLE_SERIES}
            lang={lang}
            errors={fields.series.errors}
          />
          <Checkboxes
            name="regions"
            legend={t('seminarsAdmin.field.regions')}
            list={[PROVINCE, ...REGIONS]}
            lang={lang}
            errors={fields.regions.errors}
          />
          <button type="submit" name="intent" value="create" className="button" disabled={busy}>
            {t('seminarsAdmin.create.submit')}
          </button>
        </Form>
      </section>
    </>
  )
}

import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireBaseStaff } from '#app/auth/auth.server.ts'
import { FormAlert, namedOptions, SelectField, TextField, useErrorText } from '#app/components/form.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import { reportsPolicyOn } from '#app/domain/policy/reports-policy.server.ts'
import { ActivitySchema } from '#app/domain/reports/activities.schema.ts'
import { activitiesOfBase, declareActivity, maxDeclaredHours, overdue } from '#app/domain/reports/activities.server.ts'
import { TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { translate } from '#app/i18n/catalog.server.ts'
import { formatDate, formatHours, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /base/activities: the base's training activities with their report status, and declaring a new one.
export const meta = pageTitle('reportBase.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireBaseStaff(request)
  const today = chinaDay()
  const policy = reportsPolicyOn(today)
  const rows = await activitiesOfBase(getDb(), user.baseId)
  return {
    today,
    limits: { full: policy.hoursPerDay.full, half: policy.hoursPerDay.half },
    activities: rows.map((a) => ({
      id: a.id,
      title: a.title,
      category: a.category,
      startDate: a.start_date,
      endDate: a.end_date,
      declaredHours: a.declared_hours,
      reportDue: a.report_due,
      state: a.state,
      late: a.late === true,
      overdue: overdue(a, today),
      people: Number(a.people ?? 0),
      lastUpload: a.last_upload,
    })),
  }
}

type ActionData = { result: SubmissionResult }

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireBaseStaff(request)
  const submission = parseWithZod(await request.formData(), { schema: ActivitySchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data<ActionData>({ result: submission.reply() }, { status: 400 })
  const input = submission.value
  // Always the signed-in staff member's own base: no form field can point at another one.
  const r = await getDb()
    .transaction()
    .execute((trx) => declareActivity(trx, { accountId: user.accountId, baseId: user.baseId }, input))
  if (!r.ok) {
    // The one refusal with a number in it is worded here; the others stay catalog keys.
    const message =
      r.code === 'hours_over_limit'
        ? translate(getLang(request), 'reportBase.code.hours_over_limit', { max: formatHours(maxDeclaredHours(input).max) })
        : `reportBase.code.${r.code}`
    return data<ActionData>({ result: submission.reply({ fieldErrors: { [r.field ?? 'startDate']: [message] } }) }, { status: 400 })
  }
  return redirect(`/base/activities/${r.activityId}`)
}

const CATEGORIES = ['professional', 'public'] as const
const MODES = ['face_to_face', 'online', 'blended'] as const

export default function BaseActivities() {
  const { activities, limits } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const [form, fields] = useForm<z.input<typeof ActivitySchema>>({ id: 'declare', lastResult: actionData?.result })
  const formError = useErrorText(form.errors)
  const seriesError = useErrorText(fields.titleSeries.errors)
  const seriesValue = fields.titleSeries.value
  const chosen = new Set(Array.isArray(seriesValue) ? seriesValue : typeof seriesValue === 'string' ? [seriesValue] : [])
  const day = (d: string) => formatDate(lang, d, 'day')
  type Row = (typeof activities)[number]
  const columns: Column<Row>[] = [
    {
      key: 'title',
      header: t('reportBase.col.title'),
      rowHeader: true,
      cell: (a) => (
        <>
          <Link to={`/base/activities/${a.id}`}>{a.title}</Link>{' '}
          <span className="small muted">{t(`reportBase.category.${a.category}`)}</span>
        </>
      ),
    },
    { key: 'dates', header: t('reportBase.col.dates'), nowrap: true, cell: (a) => `${day(a.startDate)} – ${day(a.endDate)}` },
    { key: 'hours', header: t('reportBase.col.hours'), numeric: true, cell: (a) => formatHours(a.declaredHours) },
    { key: 'people', header: t('reportBase.col.people'), numeric: true, cell: (a) => a.people },
    {
      key: 'due',
      header: t('reportBase.col.due'),
      nowrap: true,
      cell: (a) => (
        <>
          {day(a.reportDue)}
          {a.overdue ? (
            <>
              {' '}
              <span className="badge badge-revoked">{t('reportBase.overdue')}</span>
            </>
          ) : null}
          {a.late ? (
            <>
              {' '}
              <span className="badge badge-rectification">{t('reportBase.late')}</span>
            </>
          ) : null}
        </>
      ),
    },
    { key: 'state', header: t('reportBase.col.state'), cell: (a) => t(`reportBase.state.${a.state}`) },
    {
      key: 'upload',
      header: t('reportBase.col.upload'),
      cell: (a) => (a.lastUpload ? t(`importStatus.${a.lastUpload}`) : <span className="muted">{t('reportBase.noUpload')}</span>),
    },
  ]
  return (
    <>
      <p className="small">
        <Link to="/base">← {t('base.title')}</Link>
      </p>
      <h1>{t('reportBase.title')}</h1>
      <p className="lead">{t('reportBase.lead')}</p>

      <section className="panel" aria-labelledby="activities">
        <h2 id="activities">{t('reportBase.list')}</h2>
        {activities.length === 0 ? (
          <p className="muted">{t('reportBase.list.none')}</p>
        ) : (
          <DataTable columns={columns} rows={activities} rowKey={(a) => a.id} caption={t('reportBase.list')} />
        )}
      </section>

      <section className="panel" aria-labelledby="declare-heading">
        <h2 id="declare-heading">{t('reportBase.declare')}</h2>
        <Form method="post" className="stack" {...getFormProps(form)}>
          {formError ? <FormAlert>{formError}</FormAlert> : null}
          <TextField meta={fields.title} label={t('reportBase.field.title')} required maxLength={200} />
          <SelectField
            meta={fields.category}
            label={t('reportBase.field.category')}
            required
            placeholder={t('field.choose')}
            options={CATEGORIES.map((c) => ({ value: c, label: t(`reportBase.category.${c}`) }))}
          />
          <SelectField
            meta={fields.mode}
            label={t('reportBase.field.mode')}
            required
            placeholder={t('field.choose')}
            options={MODES.map((m) => ({ value: m, label: t(`reportBase.mode.${m}`) }))}
          />
          <fieldset
            className={`field${seriesError ? ' field-invalid' : ''}`}
            aria-describedby={seriesError ? fields.titleSeries.errorId : undefined}
          >
            <legend>{t('reportBase.field.titleSeries')}</legend>
            {namedOptions(TITLE_SERIES, lang).map((s) => (
              <label key={s.value} className="checkbox">
                <input type="checkbox" name={fields.titleSeries.name} value={s.value} defaultChecked={chosen.has(s.value)} /> {s.label}
              </label>
            ))}
            {seriesError ? (
              <p className="field-error" id={fields.titleSeries.errorId} role="alert">
                {seriesError}
              </p>
            ) : null}
          </fieldset>
          <TextField
            meta={fields.startDate}
            type="date"
            label={t('reportBase.field.startDate')}
            hint={t('reportBase.field.startDate.hint')}
            required
          />
          <TextField meta={fields.endDate} type="date" label={t('reportBase.field.endDate')} required />
          <TextField
            meta={fields.fullDays}
            inputMode="numeric"
            label={t('reportBase.field.fullDays')}
            hint={t('reportBase.field.days.hint')}
            maxLength={3}
          />
          <TextField meta={fields.halfDays} inputMode="numeric" label={t('reportBase.field.halfDays')} maxLength={3} />
          <TextField
            meta={fields.declaredHours}
            label={t('reportBase.field.declaredHours')}
            hint={t('reportBase.field.declaredHours.hint', limits)}
            required
            maxLength={8}
          />
          <TextField meta={fields.venue} label={t('reportBase.field.venue')} required maxLength={200} />
          <button type="submit" className="button" disabled={busy}>
            {t('reportBase.declare.submit')}
          </button>
        </Form>
      </section>
    </>
  )
}

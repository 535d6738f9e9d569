import { getFormProps, getTextareaProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireBaseStaff } from '#app/auth/auth.server.ts'
import { FormAlert, Notice, useErrorText } from '#app/components/form.tsx'
import { PackageStatsView, SurveyResultsView } from '#app/components/seminars/package-stats.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import { seminarPolicyOn } from '#app/domain/policy/seminars-policy.server.ts'
import { PackageSubmitSchema } from '#app/domain/seminars/package.schema.ts'
import {
  packageDraft,
  packageDueOn,
  packageOf,
  seminarForHost,
  submitPackage,
  workingDaysToDue,
} from '#app/domain/seminars/package.server.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /base/seminars/:seminarId/package: the host's post-event package (结业材料): the due day, the
// statistics the platform assembled, the survey results, the roster download, and the summary to
// submit once; afterwards read-only with the submission date and whether it was late.
export const meta = pageTitle('seminarPackage.title')

function seminarIdOf(params: { seminarId?: string }): number {
  const raw = params.seminarId ?? ''
  if (!/^\d{1,12}$/.test(raw)) throw new Response('Not Found', { status: 404 })
  return Number(raw)
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireBaseStaff(request)
  const seminarId = seminarIdOf(params)
  const db = getDb()
  // Another base's seminar does not exist for this base's staff.
  const s = await seminarForHost(db, staff.baseId, seminarId)
  if (!s) throw new Response('Not Found', { status: 404 })
  const today = chinaDay()
  const pkg = await packageOf(db, seminarId)
  const dueOn = pkg?.due_on ?? packageDueOn(s)
  return {
    seminar: { id: s.id, title: s.title, startDate: s.start_date, endDate: s.end_date },
    today,
    dueOn,
    dueWorkingDays: seminarPolicyOn(s.start_date).packageDueWorkingDays,
    workingDaysLeft: workingDaysToDue(dueOn, today),
    ended: today > s.end_date,
    finalised: s.finalised_at !== null,
    submitted: pkg && { summary: pkg.summary, submittedAt: new Date(pkg.submitted_at).toISOString(), late: pkg.late, stats: pkg.stats },
    draft: pkg ? null : await packageDraft(db, seminarId),
  }
}

type ActionData = { result: SubmissionResult; done?: true }

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireBaseStaff(request)
  const seminarId = seminarIdOf(params)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: PackageSubmitSchema })
  if (submission.status !== 'success') return data<ActionData>({ result: submission.reply() }, { status: 400 })
  if (!isConfirmed(formData)) return data<ActionData>({ result: submission.reply({ formErrors: ['err.confirm'] }) }, { status: 400 })
  const r = await submitPackage(
    getDb(),
    { accountId: staff.accountId, baseId: staff.baseId },
    seminarId,
    submission.value.summary,
    new Date(),
  )
  if (!r.ok) {
    if (r.code === 'not_found' || r.code === 'not_host') throw new Response('Not Found', { status: 404 })
    const key = `seminarPackage.code.${r.code}`
    const reply =
      r.code === 'summary_required' || r.code === 'summary_too_long'
        ? submission.reply({ fieldErrors: { summary: [key] } })
        : submission.reply({ formErrors: [key] })
    return data<ActionData>({ result: reply }, { status: 409 })
  }
  return data<ActionData>({ result: submission.reply({ resetForm: true }), done: true })
}

export default function SeminarPackagePage() {
  const { seminar, dueOn, dueWorkingDays, workingDaysLeft, ended, finalised, submitted, draft } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const [form, fields] = useForm<z.input<typeof PackageSubmitSchema>>({ id: 'package', lastResult: actionData?.result })
  const summaryError = useErrorText(fields.summary.errors)
  const refusals = actionData?.result.error?.[''] ?? []
  const stats = submitted?.stats ?? draft
  const day = (d: string) => formatDate(lang, d, 'day')
  return (
    <>
      <p className="small">
        <Link to={`/base/seminars/${seminar.id}`}>← {seminar.title}</Link>
      </p>
      <h1>{t('seminarPackage.title')}</h1>
      <p className="lead">
        {seminar.title} · {day(seminar.startDate)} – {day(seminar.endDate)}
      </p>
      <p>{t('seminarPackage.lead')}</p>

      <section className="panel" aria-labelledby="package-due">
        <h2 id="package-due">{t('seminarPackage.due', { date: day(dueOn), days: dueWorkingDays })}</h2>
        {actionData?.done ? <Notice>{t('seminarPackage.done')}</Notice> : null}
        {submitted ? (
          <p>
            {t('seminarPackage.submittedOn', { date: formatDate(lang, submitted.submittedAt, 'dateTime') })} ·{' '}
            <strong>{submitted.late ? t('seminarPackage.late') : t('seminarPackage.onTime')}</strong>
          </p>
        ) : !ended ? (
          <p>{t('seminarPackage.running')}</p>
        ) : workingDaysLeft > 0 ? (
          <p>{t('seminarPackage.daysLeft', { n: workingDaysLeft })}</p>
        ) : workingDaysLeft === 0 ? (
          <p>{t('seminarPackage.dueToday')}</p>
        ) : (
          <p>
            <strong>{t('seminarPackage.lateBy', { n: -workingDaysLeft })}</strong>
          </p>
        )}
        <p>
          <a href={`/base/seminars/${seminar.id}/roster.xlsx`} download>
            {t('seminarPackage.roster')}
          </a>
        </p>
      </section>

      {stats ? (
        <section className="panel" aria-labelledby="package-stats">
          <h2 id="package-stats">{t('seminarPackage.stats.heading')}</h2>
          {submitted ? <p className="small muted">{t('seminarPackage.snapshot')}</p> : null}
          <PackageStatsView stats={stats} t={t} lang={lang} />
        </section>
      ) : null}

      {stats ? (
        <section className="panel" aria-labelledby="package-survey">
          <h2 id="package-survey">{t('seminarSurvey.results.heading')}</h2>
          <SurveyResultsView survey={stats.survey} t={t} lang={lang} />
        </section>
      ) : null}

      <section className="panel" aria-labelledby="package-summary">
        <h2 id="package-summary">{t('seminarPackage.summary')}</h2>
        {submitted ? (
          <p className="prewrap">{submitted.summary}</p>
        ) : !finalised ? (
          <p>{t('seminarPackage.notFinalised')}</p>
        ) : (
          <>
            {refusals.length > 0 ? (
              <FormAlert>
                <ul>
                  {refusals.map((k) => (
                    <li key={k}>{t.issue(k)}</li>
                  ))}
                </ul>
              </FormAlert>
            ) : null}
            <Confirm
              label={t('seminarPackage.submit')}
              title={t('seminarPackage.confirm.title')}
              body={t('seminarPackage.confirm.body')}
              confirmLabel={t('seminarPackage.confirm.confirm')}
              intent="submit"
              formProps={getFormProps(form)}
              defaultOpen={summaryError !== undefined}
              busy={busy}
              variant="button"
              tone="primary"
            >
              <div className={`field${summaryError ? ' field-invalid' : ''}`}>
                <label htmlFor={fields.summary.id}>{t('seminarPackage.summary')}</label>
                <textarea {...getTextareaProps(fields.summary)} rows={8} maxLength={5000} />
                <p className="field-hint">{t('seminarPackage.summaryHint')}</p>
                {summaryError ? (
                  <p className="field-error" id={fields.summary.errorId} role="alert">
                    {summaryError}
                  </p>
                ) : null}
              </div>
            </Confirm>
          </>
        )}
      </section>
    </>
  )
}

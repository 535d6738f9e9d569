import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { requireRole } from '#app/auth/auth.server.ts'
import { FormAlert, Notice, useErrorText } from '#app/components/form.tsx'
import { seminarPolicyOn } from '#app/domain/policy/seminars-policy.server.ts'
import { seminarDetail } from '#app/domain/seminars/plan.server.ts'
import { submitSurvey, surveyState } from '#app/domain/seminars/survey.server.ts'
import { answersSchema, surveyOn } from '#app/domain/seminars/survey-definition.server.ts'
import { type MessageKey, pageTitle, useT } from '#app/i18n/index.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /seminars/:seminarId/survey: a participant's anonymous satisfaction survey (满意度调查),
// answered once; anyone else sees why they cannot answer.
export const meta = pageTitle('seminarSurvey.title')

function seminarIdOf(params: { seminarId?: string }): number {
  const raw = params.seminarId ?? ''
  if (!/^\d{1,12}$/.test(raw)) throw new Response('Not Found', { status: 404 })
  return Number(raw)
}

async function seminarOf(seminarId: number) {
  const s = await seminarDetail(getDb(), seminarId)
  if (!s) throw new Response('Not Found', { status: 404 })
  return s
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['learner'])
  const seminarId = seminarIdOf(params)
  const s = await seminarOf(seminarId)
  const lang = getLang(request)
  const state = await surveyState(getDb(), user.personId, seminarId, new Date())
  if (state === null) throw new Response('Not Found', { status: 404 })
  const version = surveyOn(s.start_date)
  return {
    seminar: { id: s.id, title: s.title },
    state,
    openDays: seminarPolicyOn(s.start_date).surveyOpenDaysAfterEnd,
    questions: version.questions.map((q) => ({
      id: q.id,
      kind: q.kind,
      label: lang === 'en' ? q.en : q.zh,
      max: q.kind === 'text' ? q.max : null,
      optional: q.kind === 'text' ? q.optional : false,
    })),
  }
}

type ActionData = { result: SubmissionResult; done?: true }

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ['learner'])
  const seminarId = seminarIdOf(params)
  const s = await seminarOf(seminarId)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: answersSchema(surveyOn(s.start_date)) })
  if (submission.status !== 'success') return data<ActionData>({ result: submission.reply() }, { status: 400 })
  const r = await submitSurvey(getDb(), user.personId, seminarId, submission.value, new Date())
  if (!r.ok) {
    if (r.code === 'not_found') throw new Response('Not Found', { status: 404 })
    if (r.code === 'invalid') return data<ActionData>({ result: submission.reply({ fieldErrors: r.issues ?? {} }) }, { status: 400 })
    const state = r.code === 'already_answered' ? 'answered' : r.code
    return data<ActionData>({ result: submission.reply({ formErrors: [`seminarSurvey.state.${state}`] }) }, { status: 409 })
  }
  return data<ActionData>({ result: submission.reply({ resetForm: true }), done: true })
}

function FieldError({ errors, id }: { errors: string[] | undefined; id: string }) {
  const text = useErrorText(errors)
  return text ? (
    <p className="field-error" id={id} role="alert">
      {text}
    </p>
  ) : null
}

export default function SeminarSurveyPage() {
  const { seminar, state, questions, openDays } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const [form, fields] = useForm<Record<string, string>>({ id: 'survey', lastResult: actionData?.result })
  const refusals = actionData?.result.error?.[''] ?? []
  const back = (
    <p className="small">
      <Link to={`/seminars/${seminar.id}`}>← {t('seminarSurvey.back')}</Link>
    </p>
  )
  return (
    <>
      {back}
      <h1>{t('seminarSurvey.title')}</h1>
      <p className="lead">{seminar.title}</p>
      {actionData?.done ? (
        <Notice>{t('seminarSurvey.thanks')}</Notice>
      ) : state !== 'open' ? (
        <Notice>{t(`seminarSurvey.state.${state}` as MessageKey, { days: openDays })}</Notice>
      ) : (
        <section className="panel" aria-labelledby="survey-heading">
          <h2 id="survey-heading">{t('seminarSurvey.formHeading')}</h2>
          <p>{t('seminarSurvey.lead')}</p>
          <p className="small muted">{t('seminarSurvey.scale')}</p>
          {refusals.length > 0 ? (
            <FormAlert>
              <ul>
                {refusals.map((k) => (
                  <li key={k}>{t.issue(k, { days: openDays })}</li>
                ))}
              </ul>
            </FormAlert>
          ) : null}
          <Form method="post" className="stack" {...getFormProps(form)}>
            {questions.map((q) => {
              const meta = fields[q.id]
              if (!meta) return null
              if (q.kind === 'rating')
                return (
                  <fieldset
                    key={q.id}
                    className={`field${meta.errors ? ' field-invalid' : ''}`}
                    aria-describedby={meta.errors ? meta.errorId : undefined}
                  >
                    <legend>
                      {q.label}
                      <span className="required" aria-hidden="true">
                        {' '}
                        *
                      </span>
                    </legend>
                    <div className="inline-actions">
                      {[1, 2, 3, 4, 5].map((n) => (
                        <label key={n}>
                          <input
                            type="radio"
                            name={meta.name}
                            value={String(n)}
                            defaultChecked={meta.initialValue === String(n)}
                            required
                          />{' '}
                          {t(`seminarSurvey.rating.${n}` as MessageKey)}
                        </label>
                      ))}
                    </div>
                    <FieldError errors={meta.errors} id={meta.errorId} />
                  </fieldset>
                )
              return (
                <div key={q.id} className={`field${meta.errors ? ' field-invalid' : ''}`}>
                  <label htmlFor={meta.id}>
                    {q.label} {q.optional ? <span className="muted small">{t('seminarSurvey.optional', { max: q.max ?? 0 })}</span> : null}
                  </label>
                  <textarea
                    id={meta.id}
                    name={meta.name}
                    rows={4}
                    maxLength={q.max ?? undefined}
                    defaultValue={typeof meta.initialValue === 'string' ? meta.initialValue : ''}
                    aria-describedby={meta.errors ? meta.errorId : undefined}
                  />
                  <FieldError errors={meta.errors} id={meta.errorId} />
                </div>
              )
            })}
            <p>
              <button type="submit" className="button" disabled={busy}>
                {t('seminarSurvey.submit')}
              </button>
            </p>
          </Form>
        </section>
      )}
    </>
  )
}

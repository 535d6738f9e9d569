import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { requireUser } from '#app/auth/auth.server.ts'
import { FormAlert } from '#app/components/form.tsx'
import { getCourse } from '#app/domain/courses/catalog.server.ts'
import { QuizSubmitSchema } from '#app/domain/courses/courses.schema.ts'
import { openQuiz, submitQuiz } from '#app/domain/courses/quiz.server.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'

export const meta = pageTitle('quiz.title')

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const db = getDb()
  const course = await getCourse(db, params.id ?? '', { includeUnpublished: true })
  if (!course) notFound()
  const quiz = await openQuiz(db, user.personId, course.id)
  if (quiz.kind === 'not_enrolled') notFound()
  return {
    course: { id: course.id, title: course.title, hours: course.hours },
    quiz: quiz.kind === 'cooling_down' ? { kind: quiz.kind, retryAt: quiz.retryAt.toISOString() } : quiz,
  }
}

type ActionData =
  | {
      kind: 'graded'
      passed: boolean
      score: number
      correct: number
      total: number
      passMark: number
      hours: string | null
      ceYear: number | null
      retryAt: string | null
    }
  | { kind: 'incomplete'; result: SubmissionResult }

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await request.formData(), { schema: QuizSubmitSchema, disableAutoCoercion: true })
  // Only a forged form lacks a valid attempt id.
  if (submission.status !== 'success') throw new Response('Bad Request', { status: 400 })
  const { attemptId, answers } = submission.value
  const r = await submitQuiz(getDb(), user.personId, params.id ?? '', attemptId, answers)
  if (r.kind === 'not_found' || r.kind === 'locked') notFound()
  if (r.kind === 'incomplete') {
    const fieldErrors = Object.fromEntries(r.missing.map((id) => [`q:${id}`, ['quiz.answerThis']]))
    return data<ActionData>({ kind: 'incomplete', result: submission.reply({ fieldErrors }) }, { status: 400 })
  }
  return {
    kind: 'graded',
    passed: r.grade.passed,
    score: r.grade.score,
    correct: r.grade.correct,
    total: r.grade.total,
    passMark: r.passMark,
    hours: r.completed?.hours ?? null,
    ceYear: r.completed?.ceYear ?? null,
    retryAt: r.retryAt?.toISOString() ?? null,
  } satisfies ActionData
}

export default function QuizPage() {
  const { course, quiz } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const [form, fields] = useForm<Record<string, string>>({
    id: 'quiz',
    lastResult: actionData?.kind === 'incomplete' ? actionData.result : undefined,
  })
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const time = (iso: string) => formatDate(lang, iso, 'time')
  const back = (
    <p>
      <Link to={`/courses/${course.id}`}>← {course.title}</Link>
    </p>
  )

  if (actionData?.kind === 'graded') {
    return (
      <>
        <h1>{t('quiz.title')}</h1>
        {actionData.passed ? (
          <div className="alert alert-success" role="status" data-testid="quiz-result">
            <p>{t('quiz.passed', { score: actionData.score, correct: actionData.correct, total: actionData.total })}</p>
            {actionData.hours ? <p>{t('quiz.credited', { hours: actionData.hours, year: actionData.ceYear ?? '' })}</p> : null}
            <Link className="button" to={`/hours?year=${actionData.ceYear ?? ''}`}>
              {t('course.seeHours')}
            </Link>
          </div>
        ) : (
          <div className="alert alert-error" role="alert" data-testid="quiz-result">
            <p>
              {t('quiz.failed', {
                score: actionData.score,
                correct: actionData.correct,
                total: actionData.total,
                passMark: actionData.passMark,
              })}
            </p>
            {actionData.retryAt ? <p>{t('quiz.retryAt', { time: time(actionData.retryAt) })}</p> : null}
          </div>
        )}
        {back}
      </>
    )
  }

  if (quiz.kind !== 'open') {
    const message =
      quiz.kind === 'passed'
        ? t('quiz.alreadyPassed')
        : quiz.kind === 'locked'
          ? t('quiz.locked', { count: quiz.lessonsLeft })
          : t('quiz.coolingDown', { time: time(quiz.retryAt) })
    return (
      <>
        <h1>{t('quiz.title')}</h1>
        <p className={quiz.kind === 'passed' ? 'alert alert-success' : 'alert alert-error'} role="status">
          {message}
        </p>
        {back}
      </>
    )
  }

  const answerOf = (id: string) => fields[`q:${id}`]
  const missing = quiz.sitting.questions.filter((q) => answerOf(q.id)?.errors).length
  return (
    <>
      <h1>{t('quiz.title')}</h1>
      <p className="lead">
        {course.title} · {t('quiz.lead', { count: quiz.sitting.questions.length, passMark: quiz.sitting.passMark, hours: course.hours })}
      </p>
      {missing ? <FormAlert>{t('quiz.incomplete', { count: missing })}</FormAlert> : null}
      <Form method="post" className="quiz" key={quiz.sitting.attemptId} {...getFormProps(form)}>
        <input type="hidden" name="attemptId" value={quiz.sitting.attemptId} />
        <ol className="quiz-questions">
          {quiz.sitting.questions.map((q) => {
            const answer = answerOf(q.id)
            const unanswered = Boolean(answer?.errors)
            return (
              <li key={q.id}>
                <fieldset aria-invalid={unanswered ? true : undefined} className={unanswered ? 'invalid' : undefined}>
                  <legend>{q.text}</legend>
                  {unanswered ? <p className="field-error">{t('quiz.answerThis')}</p> : null}
                  {q.options.map((o) => (
                    <label key={o.value} className="quiz-option">
                      <input type="radio" name={`q:${q.id}`} value={o.value} defaultChecked={answer?.initialValue === String(o.value)} />{' '}
                      {o.text}
                    </label>
                  ))}
                </fieldset>
              </li>
            )
          })}
        </ol>
        <button type="submit" className="button" disabled={busy}>
          {t('quiz.submit')}
        </button>
      </Form>
      {back}
    </>
  )
}

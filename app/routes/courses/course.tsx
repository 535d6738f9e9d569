import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'

import { getUser, requireUser } from '#app/auth/auth.server.ts'
import { seriesLabel } from '#app/components/course-labels.ts'
import { getCourse } from '#app/domain/courses/catalog.server.ts'
import { courseProgress, enroll } from '#app/domain/courses/progress.server.ts'
import { DONE_RATIO } from '#app/domain/courses/study-time.ts'
import { formatDate, formatStudyTime, type Lang, metaT, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaT(matches)
  const title = data?.course.title ?? t('courses.title')
  return [{ title: `${title} · ${t('app.name')}` }, { name: 'description', content: data?.course.summary ?? '' }]
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb()
  const user = await getUser(request)
  const course = await getCourse(db, params.id ?? '', { includeUnpublished: true })
  if (!course) notFound()
  const progress = user ? await courseProgress(db, user.personId, course.id) : null
  // An unpublished course is gone from the catalog, but learners already enrolled keep access.
  if (!course.published && !progress) notFound()
  return { course, progress, signedIn: user !== null }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const result = await enroll(getDb(), user.personId, params.id ?? '')
  if (!result.ok) notFound()
  return redirect(`/courses/${params.id}${result.created ? '?enrolled=1' : ''}`)
}

export default function CoursePage() {
  const { course: c, progress: p, signedIn } = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  const busy = useNavigation().state === 'submitting'
  const next = p?.lessons.find((l) => !l.done)
  return (
    <>
      <p className="small">
        <Link to="/courses">← {t('course.back')}</Link>
      </p>
      <h1>{c.title}</h1>
      <p className="lead">{c.summary}</p>
      {!c.published ? <p className="alert alert-error">{t('course.unpublished')}</p> : null}
      {p?.completedAt ? (
        <div className="alert alert-success" role="status" data-testid="course-completed">
          <p>{t('course.completed', { hours: p.creditedHours ?? c.hours, date: formatDate(lang, p.completedAt, 'dateNumeric') })}</p>
          <Link to="/hours">{t('course.seeHours')}</Link>
        </div>
      ) : null}
      <div className="grid-2">
        <section className="panel" aria-labelledby="facts-title">
          <h2 id="facts-title">{t('course.facts')}</h2>
          <dl className="facts">
            <div>
              <dt>{t('course.category')}</dt>
              <dd>{t(`courses.category.${c.category}`)}</dd>
            </div>
            <div>
              <dt>{t('course.series')}</dt>
              <dd>{seriesLabel(c.series, lang, t('courses.series.all'))}</dd>
            </div>
            <div>
              <dt>{t('course.hours')}</dt>
              <dd>
                <strong>{c.hours}</strong>
              </dd>
            </div>
            <div>
              <dt>{t('course.studyTime')}</dt>
              <dd>{t('course.minutes', { minutes: c.minutes })}</dd>
            </div>
            <div>
              <dt>{t('course.listed')}</dt>
              <dd>{c.listedOn}</dd>
            </div>
          </dl>
          <p className="muted small">{t('course.rule', { percent: Math.round(DONE_RATIO * 100) })}</p>
          {p ? (
            <div data-testid="course-progress">
              <p>
                {t('course.progress', { done: p.lessonsDone, count: p.lessons.length })} ·{' '}
                {t('course.verifiedTotal', { time: formatStudyTime(p.verifiedSeconds, t) })}
              </p>
              {p.completedAt ? null : next ? (
                <Link className="button" to={`/courses/${c.id}/lessons/${next.id}`}>
                  {p.lessonsDone === 0 && p.verifiedSeconds === 0 ? t('course.start') : t('course.continue')}
                </Link>
              ) : (
                <Link className="button" to={`/courses/${c.id}/quiz`}>
                  {t('course.takeQuiz')}
                </Link>
              )}
            </div>
          ) : signedIn ? (
            <Form method="post">
              <button type="submit" className="button" disabled={busy}>
                {t('course.enroll')}
              </button>
            </Form>
          ) : (
            <p>
              <Link className="button" to={`/login?redirectTo=${encodeURIComponent(`/courses/${c.id}`)}`}>
                {t('course.signInToEnroll')}
              </Link>
            </p>
          )}
        </section>
        <section className="panel" aria-labelledby="outline-title">
          <h2 id="outline-title">{t('course.outline')}</h2>
          <ol className="outline">
            {c.lessons.map((l) => {
              const lp = p?.lessons.find((x) => x.id === l.id)
              return (
                <li key={l.id}>
                  {p ? (
                    <Link className="outline-title" to={`/courses/${c.id}/lessons/${l.id}`}>
                      {l.title}
                    </Link>
                  ) : (
                    <span className="outline-title">{l.title}</span>
                  )}{' '}
                  <span className="badge">{t(`course.lesson.${l.kind}`)}</span>{' '}
                  <span className="muted small">{formatStudyTime(l.seconds, t)}</span>
                  {lp ? (
                    <span className={`small lesson-state${lp.done ? ' lesson-done' : ''}`}>
                      {' '}
                      {lp.done
                        ? t('course.lessonDone')
                        : lp.verifiedSeconds > 0
                          ? t('course.lessonPartial', { time: formatStudyTime(lp.verifiedSeconds, t) })
                          : null}
                    </span>
                  ) : null}
                </li>
              )
            })}
          </ol>
          <h3>{t('course.quiz')}</h3>
          <p>{t('course.quiz.body', { count: c.quiz.questionCount, passMark: c.quiz.passMark })}</p>
          {p ? <p className="small">{quizLine(p.quiz, t, lang)}</p> : null}
        </section>
      </div>
    </>
  )
}

function quizLine(
  q: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['progress']>['quiz'],
  t: ReturnType<typeof useT>,
  lang: Lang,
): string {
  switch (q.state) {
    case 'locked':
      return t('course.quiz.locked')
    case 'open':
      return t('course.quiz.open')
    case 'passed':
      return t('course.quiz.passed', { score: q.score })
    case 'cooling_down':
      return t('course.quiz.coolingDown', {
        score: q.lastScore,
        time: formatDate(lang, q.retryAt, 'time'),
      })
  }
}

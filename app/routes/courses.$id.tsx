import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getCourse } from '#app/domain/courses.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { translate, type Lang } from '#app/lib/i18n.ts'
import { useLang, useT } from '#app/lib/use-t.ts'
import { seriesLabel } from '#app/components/course-labels.ts'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const lang = (matches.find((m) => m.id === 'root')?.data as { lang?: Lang } | undefined)?.lang ?? 'zh'
  const title = data?.course.title ?? translate(lang, 'courses.title')
  return [{ title: `${title} · ${translate(lang, 'app.name')}` }, { name: 'description', content: data?.course.summary ?? '' }]
}

export async function loader({ params }: LoaderFunctionArgs) {
  const course = await getCourse(getDb(), params.id ?? '')
  if (!course) notFound()
  return { course }
}

export default function CoursePage() {
  const { course: c } = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  const duration = (seconds: number) => (seconds < 60 ? t('course.seconds', { seconds }) : t('course.minutes', { minutes: Math.round(seconds / 6) / 10 }))
  return (
    <>
      <p className="small">
        <Link to="/courses">← {t('course.back')}</Link>
      </p>
      <h1>{c.title}</h1>
      <p className="lead">{c.summary}</p>
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
          <p className="muted small">{t('course.rule')}</p>
          <p>
            <button type="button" className="button" disabled aria-describedby="enroll-note">
              {t('course.enroll')}
            </button>{' '}
            <span id="enroll-note" className="muted">
              {t('course.enroll.soon')}
            </span>
          </p>
        </section>
        <section className="panel" aria-labelledby="outline-title">
          <h2 id="outline-title">{t('course.outline')}</h2>
          <ol className="outline">
            {c.lessons.map((l) => (
              <li key={l.id}>
                <span className="outline-title">{l.title}</span>{' '}
                <span className="badge">{t(`course.lesson.${l.kind}`)}</span> <span className="muted small">{duration(l.seconds)}</span>
              </li>
            ))}
          </ol>
          <h3>{t('course.quiz')}</h3>
          <p>{t('course.quiz.body', { count: c.quiz.questionCount, passMark: c.quiz.passMark })}</p>
        </section>
      </div>
    </>
  )
}

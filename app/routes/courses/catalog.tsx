import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'

import { getUser } from '#app/auth/auth.server.ts'
import { seriesLabel } from '#app/components/course-labels.ts'
import { catalogSeries, listCourses } from '#app/domain/courses/catalog.server.ts'
import { parseCatalogQuery, SORTS } from '#app/domain/courses/courses.schema.ts'
import { myCourses } from '#app/domain/courses/progress.server.ts'
import { currentRules } from '#app/domain/hours/overview.server.ts'
import { pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('courses.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const query = parseCatalogQuery(new URL(request.url).searchParams)
  const db = getDb()
  const user = await getUser(request)
  const [courses, series, rules, mine] = await Promise.all([
    listCourses(db, query),
    catalogSeries(db),
    currentRules(db),
    user ? myCourses(db, user.personId) : [],
  ])
  // The sort orders come with the data, so the page does not ship the schema module for a constant.
  return { query, courses, series, minutesPerHour: rules?.minutesPerHour ?? null, mine, sorts: SORTS }
}

export default function CoursesCatalog() {
  const { query, courses, series, minutesPerHour, mine, sorts } = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  const busy = useNavigation().state === 'loading'
  const filtered = Boolean(query.q || query.category || query.series || query.minHours || query.maxHours)
  return (
    <>
      <h1>{t('courses.title')}</h1>
      <p className="lead">{t('courses.lead', { minutes: minutesPerHour ?? '—' })}</p>
      {mine.length ? (
        <section className="panel my-courses" aria-labelledby="mine-title">
          <h2 id="mine-title">{t('courses.mine')}</h2>
          <ul className="my-course-list">
            {mine.map((c) => (
              <li key={c.courseId}>
                <Link to={`/courses/${c.courseId}`}>{c.title}</Link>{' '}
                <span className="muted small">
                  {c.completedAt
                    ? t('courses.mine.done', { hours: c.hours })
                    : t('course.progress', { done: c.lessonsDone, count: c.lessons })}
                </span>{' '}
                {c.completedAt ? null : (
                  <Link
                    className="small"
                    to={c.nextLessonId ? `/courses/${c.courseId}/lessons/${c.nextLessonId}` : `/courses/${c.courseId}/quiz`}
                  >
                    {c.nextLessonId ? t('course.continue') : t('course.takeQuiz')}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <Form method="get" className="catalog-filters" role="search" aria-label={t('courses.filters')}>
        <div className="field catalog-q">
          <label htmlFor="q">{t('courses.q')}</label>
          <input id="q" name="q" type="search" defaultValue={query.q ?? ''} maxLength={50} aria-describedby="q-hint" />
          <p className="field-hint" id="q-hint">
            {t('courses.q.hint')}
          </p>
        </div>
        <div className="field">
          <label htmlFor="category">{t('courses.category')}</label>
          <select id="category" name="category" defaultValue={query.category ?? ''}>
            <option value="">{t('courses.category.any')}</option>
            <option value="public">{t('courses.category.public')}</option>
            <option value="professional">{t('courses.category.professional')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="series">{t('courses.series')}</label>
          <select id="series" name="series" defaultValue={query.series ?? ''}>
            <option value="">{t('courses.series.any')}</option>
            {series.map((s) => (
              <option key={s} value={s}>
                {seriesLabel(s, lang, t('courses.series.all'))}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="min">{t('courses.minHours')}</label>
          <input id="min" name="min" type="number" min={0} step={0.5} inputMode="decimal" defaultValue={query.minHours ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="max">{t('courses.maxHours')}</label>
          <input id="max" name="max" type="number" min={0} step={0.5} inputMode="decimal" defaultValue={query.maxHours ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="sort">{t('courses.sort')}</label>
          <select id="sort" name="sort" defaultValue={query.sort}>
            {sorts.map((s) => (
              <option key={s} value={s}>
                {t(`courses.sort.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="catalog-actions">
          <button type="submit" className="button" disabled={busy}>
            {t('courses.search')}
          </button>
          {filtered ? (
            <Link to="/courses" className="button button-secondary">
              {t('courses.clear')}
            </Link>
          ) : null}
        </div>
      </Form>
      <section aria-labelledby="results-title" aria-live="polite">
        <h2 id="results-title" className="catalog-count">
          {t('courses.count', { count: courses.length })}
        </h2>
        {courses.length === 0 ? (
          <p className="panel">{t('courses.none')}</p>
        ) : (
          <ul className="course-list">
            {courses.map((c) => (
              <li key={c.id} className="card course-card">
                <h3>
                  <Link to={`/courses/${c.id}`}>{c.title}</Link>
                </h3>
                <p className="course-tags">
                  <span className={`badge ${c.category === 'public' ? 'badge-public' : 'badge-designated'}`}>
                    {t(`courses.category.${c.category}`)}
                  </span>{' '}
                  <span className="badge">{seriesLabel(c.series, lang, t('courses.series.all'))}</span>{' '}
                  {c.videoCount ? <span className="badge">{t('courses.video')}</span> : null}
                </p>
                <p className="course-summary">{c.summary}</p>
                <p className="course-meta">
                  <strong>{t('courses.hours', { hours: c.hours })}</strong> ·{' '}
                  {t('courses.meta', { lessons: c.lessonCount, minutes: c.minutes })}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  )
}

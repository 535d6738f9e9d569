import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { requireUser } from '#app/auth/auth.server.ts'
import { LessonPlayer } from '#app/components/lesson-player.tsx'
import { LessonText } from '#app/components/lesson-text.tsx'
import { lessonForPlayer } from '#app/domain/courses/progress.server.ts'
import { formatStudyTime, metaT, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  return [{ title: `${data?.lesson.title ?? ''} · ${data?.courseTitle ?? ''} · ${metaT(matches)('app.name')}` }]
}

/** A lesson of a course the learner is enrolled in; anyone else's (or no) enrolment is 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const lesson = await lessonForPlayer(getDb(), user.personId, params.id ?? '', params.lessonId ?? '')
  if (!lesson) notFound()
  return lesson
}

export default function LessonPage() {
  const d = useLoaderData<typeof loader>()
  const t = useT()
  const l = d.lesson
  return (
    <>
      <p className="small">
        <Link to={`/courses/${d.courseId}`}>← {d.courseTitle}</Link>
      </p>
      <h1>
        <span className="muted small">{t('player.position', { position: d.position, count: d.count })}</span> {l.title}
      </h1>
      <p className="muted">
        {t(`course.lesson.${l.kind}`)} · {t('player.required', { time: formatStudyTime(l.requiredSeconds, t) })}
      </p>
      <LessonPlayer
        key={`${d.courseId}/${l.id}`}
        courseId={d.courseId}
        lessonId={l.id}
        kind={l.kind}
        requiredSeconds={l.requiredSeconds}
        videoUrl={l.video ? `/course-videos/${l.video}` : null}
        initialVerifiedSeconds={d.progress.verifiedSeconds}
        initialFurthestSeconds={d.progress.furthestSeconds}
      >
        {l.body ? (
          <article className="panel lesson-body">
            <LessonText markdown={l.body} />
          </article>
        ) : null}
      </LessonPlayer>
      <nav className="lesson-nav" aria-label={t('player.nav')}>
        {d.previousId ? (
          <Link className="button button-secondary" to={`/courses/${d.courseId}/lessons/${d.previousId}`}>
            {t('player.previous')}
          </Link>
        ) : (
          <span />
        )}
        {d.nextId ? (
          <Link className="button" to={`/courses/${d.courseId}/lessons/${d.nextId}`}>
            {t('player.next')}
          </Link>
        ) : (
          <Link className="button" to={`/courses/${d.courseId}/quiz`}>
            {t('player.toQuiz')}
          </Link>
        )}
      </nav>
    </>
  )
}

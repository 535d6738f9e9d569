import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'

import { requireRole } from '#app/auth/auth.server.ts'
import { Notice } from '#app/components/form.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { courseFigures, setPublished } from '#app/domain/courses/admin.server.ts'
import { formatStudyTime, pageTitle, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('admin.courses.title')

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['admin'])
  return { courses: await courseFigures(getDb()) }
}

/** Each course row's button: publish it, or withdraw it from the catalog. */
const CourseActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('publish'), courseId: z.string().min(1) }),
  z.object({ intent: z.literal('unpublish'), courseId: z.string().min(1) }),
])

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, ['admin'])
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: CourseActionSchema, disableAutoCoercion: true })
  // Only a forged form lacks an intent or a course.
  if (submission.status !== 'success') throw new Response('Bad Request', { status: 400 })
  const { intent, courseId } = submission.value
  // Withdrawing asks first (the confirmation step's field); publishing is undone by withdrawing.
  if (intent === 'unpublish' && !isConfirmed(formData)) throw new Response('Bad Request', { status: 400 })
  const publish = intent === 'publish'
  const ok = await getDb()
    .transaction()
    .execute((trx) => setPublished(trx, courseId, publish, admin.accountId))
  if (!ok) throw new Response('Not Found', { status: 404 })
  return { courseId, published: publish }
}

export default function AdminCourses() {
  const { courses } = useLoaderData<typeof loader>()
  const done = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const changed = done ? courses.find((c) => c.id === done.courseId) : undefined
  return (
    <>
      <h1>{t('admin.courses.title')}</h1>
      <p className="lead">{t('admin.courses.lead')}</p>
      {changed && done ? (
        <Notice>{t(done.published ? 'admin.courses.published' : 'admin.courses.unpublished', { title: changed.title })}</Notice>
      ) : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('admin.courses.course')}</th>
              <th scope="col">{t('course.hours')}</th>
              <th scope="col" className="num">
                {t('admin.courses.enrolled')}
              </th>
              <th scope="col" className="num">
                {t('admin.courses.completed')}
              </th>
              <th scope="col">{t('admin.courses.avgTime')}</th>
              <th scope="col">{t('admin.courses.passRate')}</th>
              <th scope="col">{t('admin.courses.status')}</th>
              <th scope="col">{t('table.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {courses.map((c) => (
              <tr key={c.id} data-course={c.id}>
                <td className="wrap">
                  <Link to={`/courses/${c.id}`}>{c.title}</Link>
                  <div className="small muted">{t(`courses.category.${c.category}`)}</div>
                </td>
                <td className="num">{c.hours}</td>
                <td className="num">{c.enrolled}</td>
                <td className="num">{c.completed}</td>
                <td>
                  {formatStudyTime(c.averageVerifiedSeconds, t)} / {formatStudyTime(c.requiredSeconds, t)}
                </td>
                <td>
                  {c.quizPassRate === null
                    ? t('admin.courses.noSittings')
                    : t('admin.courses.rate', { rate: c.quizPassRate, passed: c.quizPassed, sittings: c.quizSittings })}
                </td>
                <td>
                  {c.published ? (
                    <span className="badge badge-designated">{t('admin.courses.live')}</span>
                  ) : (
                    <span className="badge badge-revoked">{t('admin.courses.hidden')}</span>
                  )}
                </td>
                <td>
                  {c.published ? (
                    <Confirm
                      label={t('admin.courses.unpublish')}
                      triggerLabel={t('admin.courses.unpublish.label', { title: c.title })}
                      title={t('admin.courses.unpublish.title')}
                      body={<p>{t('admin.courses.unpublish.body', { title: c.title })}</p>}
                      confirmLabel={t('admin.courses.unpublish.confirm')}
                      intent="unpublish"
                      fields={{ courseId: c.id }}
                      busy={busy}
                    />
                  ) : (
                    <Form method="post">
                      <input type="hidden" name="courseId" value={c.id} />
                      <button type="submit" name="intent" value="publish" className="link-button" disabled={busy}>
                        {t('admin.courses.publish')}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'

import { requireHr } from '#app/auth/hr.server.ts'
import { FormAlert, Notice } from '#app/components/form.tsx'
import { decideTitleChange, listPendingTitleChanges } from '#app/domain/identity/profile.server.ts'
import { nameOf, regionName, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('hr.titles.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireHr(request)
  const rows = await listPendingTitleChanges(getDb(), actor)
  return { rows: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) }
}

const DecisionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('approve'),
    changeId: z
      .string()
      .regex(/^[1-9]\d{0,15}$/)
      .transform(Number),
  }),
  z.object({
    intent: z.literal('reject'),
    changeId: z
      .string()
      .regex(/^[1-9]\d{0,15}$/)
      .transform(Number),
    reason: z.string({ required_error: 'err.titles.reason' }).trim().min(1, 'err.titles.reason').max(200, 'err.tooLong'),
  }),
])

type ActionData = { done?: 'approved' | 'rejected'; error?: string }

/** HR of the person's region verifies (people.title_* change) or refuses a learner's title change. */
export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireHr(request)
  const submission = parseWithZod(await request.formData(), { schema: DecisionSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') {
    const first = Object.values(submission.error ?? {}).flat()[0]
    return data<ActionData>({ error: first ?? 'err.form' }, { status: 400 })
  }
  const v = submission.value
  const result = await decideTitleChange(getDb(), actor, v.changeId, v.intent, v.intent === 'reject' ? v.reason : null)
  if (!result.ok) {
    if (result.code === 'not_found') throw new Response('Not Found', { status: 404 })
    return data<ActionData>({ error: 'err.titles.decided' }, { status: 409 })
  }
  return data<ActionData>({ done: v.intent === 'approve' ? 'approved' : 'rejected' })
}

export default function TitleChanges() {
  const t = useT()
  const lang = useLang()
  const { rows } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const title = (series: string | null, level: string | null, year: number | null) =>
    [series ? nameOf(TITLE_SERIES, series, lang) : null, level ? nameOf(TITLE_LEVELS, level, lang) : null, year]
      .filter((x) => x !== null && x !== '')
      .join(' · ') || t('account.none')
  return (
    <section aria-labelledby="titles-title">
      <h1 id="titles-title">{t('hr.titles.title')}</h1>
      <p className="lead">{t('hr.titles.lead')}</p>
      {actionData?.done ? <Notice>{t(actionData.done === 'approved' ? 'hr.titles.approved' : 'hr.titles.rejected')}</Notice> : null}
      {actionData?.error ? <FormAlert>{t.issue(actionData.error)}</FormAlert> : null}
      {rows.length === 0 ? (
        <p className="muted">{t('hr.titles.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('hr.titles.person')}</th>
              <th scope="col">{t('field.region')}</th>
              <th scope="col">{t('hr.titles.current')}</th>
              <th scope="col">{t('hr.titles.requested')}</th>
              <th scope="col">{t('hr.titles.since')}</th>
              <th scope="col">
                <span className="sr-only">{t('hr.titles.approve')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td>{r.regionCode ? regionName(r.regionCode, lang) : t('account.none')}</td>
                <td>{title(r.currentSeries, r.currentLevel, r.currentYear)}</td>
                <td>{title(r.series, r.level, r.year)}</td>
                <td>{formatDate(lang, r.createdAt, 'dateTime')}</td>
                <td>
                  <Form method="post" className="inline">
                    <input type="hidden" name="changeId" value={r.id} />
                    <button type="submit" name="intent" value="approve" className="button">
                      {t('hr.titles.approve')}
                    </button>
                  </Form>
                  <Form method="post" className="inline">
                    <input type="hidden" name="changeId" value={r.id} />
                    <label htmlFor={`reason-${r.id}`} className="sr-only">
                      {t('hr.titles.reason')}
                    </label>
                    <input id={`reason-${r.id}`} name="reason" required maxLength={200} placeholder={t('hr.titles.reason')} />
                    <button type="submit" name="intent" value="reject" className="button button-secondary">
                      {t('hr.titles.reject')}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

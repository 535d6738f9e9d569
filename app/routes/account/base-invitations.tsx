import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { requireUser } from '#app/auth/auth.server.ts'
import { FormAlert, Notice, useErrorText } from '#app/components/form.tsx'
import { InvitationAnswerSchema } from '#app/domain/bases/members.schema.ts'
import { answerInvitation, invitationsFor } from '#app/domain/bases/members.server.ts'
import { regionName } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /account/base-invitations: a registered person accepts or declines a base's invitation (ADR 0020).
export const meta = pageTitle('invitations.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const rows = await invitationsFor(getDb(), user.accountId)
  return {
    memberOf: user.baseId,
    invitations: rows.map((i) => ({
      id: i.id,
      base: i.base_name,
      region: i.region_code,
      who: i.invited_by_name,
      isAdmin: i.is_admin,
      expiresAt: i.expires_at.toISOString(),
    })),
  }
}

type ActionData = { done?: 'accepted' | 'declined'; error?: string }

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await request.formData(), { schema: InvitationAnswerSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data<ActionData>({ error: 'membersCode.not_found' }, { status: 400 })
  const { intent, invitationId } = submission.value
  const r = await getDb()
    .transaction()
    .execute((trx) => answerInvitation(trx, user.accountId, invitationId, intent === 'accept'))
  if (!r.ok) return data<ActionData>({ error: `membersCode.${r.code}` }, { status: r.code === 'not_found' ? 404 : 409 })
  return { done: intent === 'accept' ? 'accepted' : 'declined' } satisfies ActionData
}

export default function BaseInvitations() {
  const { invitations, memberOf } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const error = useErrorText(actionData?.error ? [actionData.error] : undefined)
  return (
    <>
      <p className="small">
        <Link to="/account">← {t('nav.account')}</Link>
      </p>
      <h1>{t('invitations.title')}</h1>
      <p className="lead">{t('invitations.lead')}</p>
      {actionData?.done ? (
        <Notice>
          {t(`invitations.${actionData.done}`)} {actionData.done === 'accepted' ? <Link to="/base">{t('invitations.go')}</Link> : null}
        </Notice>
      ) : null}
      {error ? <FormAlert>{error}</FormAlert> : null}
      {memberOf !== null && !actionData?.done ? (
        <p>
          <Link to="/base">{t('invitations.go')}</Link>
        </p>
      ) : null}
      {invitations.length === 0 ? (
        <p className="muted">{t('invitations.none')}</p>
      ) : (
        <ul className="stack">
          {invitations.map((i) => (
            <li key={i.id} className="panel">
              <p>
                <strong>{t('invitations.from', { who: i.who, base: i.base })}</strong>
                {i.isAdmin ? t('invitations.asAdmin') : ''}
              </p>
              <p className="small muted">
                {regionName(i.region, lang)} · {t('members.expires')} {formatDate(lang, i.expiresAt, 'day')}
              </p>
              <Form method="post" className="actions">
                <input type="hidden" name="invitationId" value={i.id} />
                <button type="submit" name="intent" value="accept" className="button" disabled={busy}>
                  {t('invitations.accept')}
                </button>{' '}
                <button type="submit" name="intent" value="decline" className="button button-secondary" disabled={busy}>
                  {t('invitations.decline')}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

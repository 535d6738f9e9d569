import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { requireBaseStaff } from '#app/auth/auth.server.ts'
import { FormAlert, Notice, TextField, useErrorText } from '#app/components/form.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { StaffActionSchema } from '#app/domain/bases/members.schema.ts'
import { cancelInvitation, endMembership, inviteColleague, listMembers } from '#app/domain/bases/members.server.ts'
import { maskMobile } from '#app/domain/shared/id-number.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /base/staff: the base's staff and open invitations; its admins invite and remove (ADR 0020).
export const meta = pageTitle('members.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireBaseStaff(request)
  const { members, invitations } = await listMembers(getDb(), user.baseId)
  return {
    isAdmin: user.baseAdmin,
    me: user.accountId,
    members: members.map((m) => ({
      id: m.id,
      accountId: m.account_id,
      name: m.name,
      phone: maskMobile(m.phone),
      isAdmin: m.is_admin,
      how: m.how,
      since: m.created_at.toISOString(),
    })),
    invitations: invitations.map((i) => ({
      id: i.id,
      name: i.name,
      phone: maskMobile(i.phone),
      isAdmin: i.is_admin,
      expiresAt: i.expires_at.toISOString(),
    })),
  }
}

type Done = 'invited' | 'cancelled' | 'removed'
type ActionData = { done?: Done; result: SubmissionResult }

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireBaseStaff(request)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: StaffActionSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data<ActionData>({ result: submission.reply() }, { status: 400 })
  const v = submission.value
  // Always the signed-in member's own base: no form field can point at another one.
  const actor = { accountId: user.accountId, baseId: user.baseId }
  if (v.intent === 'remove' && !isConfirmed(formData))
    return data<ActionData>({ result: submission.reply({ formErrors: ['err.confirm'] }) }, { status: 400 })
  const r = await getDb()
    .transaction()
    .execute(async (trx): Promise<{ ok: true } | { ok: false; code: string }> => {
      switch (v.intent) {
        case 'invite':
          return inviteColleague(trx, actor, user.baseId, { phone: v.phone, isAdmin: v.isAdmin === 'on' })
        case 'cancel':
          return cancelInvitation(trx, actor, user.baseId, v.invitationId)
        case 'remove':
          return endMembership(trx, actor, user.baseId, v.memberId)
      }
    })
  if (!r.ok) {
    const key = `membersCode.${r.code}`
    const fieldErrors: Record<string, string[]> = v.intent === 'invite' && r.code !== 'not_admin' ? { phone: [key] } : { '': [key] }
    return data<ActionData>({ result: submission.reply({ fieldErrors }) }, { status: r.code === 'not_admin' ? 403 : 400 })
  }
  const done: Done = v.intent === 'invite' ? 'invited' : v.intent === 'cancel' ? 'cancelled' : 'removed'
  return { done, result: submission.reply({ resetForm: true }) } satisfies ActionData
}

export default function BaseStaff() {
  const { isAdmin, me, members, invitations } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const [form, fields] = useForm<{ phone: string; isAdmin: string }>({ id: 'invite', lastResult: actionData?.result })
  const formError = useErrorText(actionData?.result.error?.[''] ?? undefined)
  type Member = (typeof members)[number]
  const columns: Column<Member>[] = [
    { key: 'name', header: t('members.name'), rowHeader: true, cell: (m) => `${m.name}${m.accountId === me ? t('members.you') : ''}` },
    { key: 'phone', header: t('members.phone'), nowrap: true, cell: (m) => <span className="mono">{m.phone}</span> },
    { key: 'role', header: t('members.role'), cell: (m) => t(m.isAdmin ? 'members.role.admin' : 'members.role.staff') },
    {
      key: 'since',
      header: t('members.since'),
      cell: (m) => `${formatDate(lang, m.since, 'day')} · ${t.issue(`members.how.${m.how}`)}`,
    },
    ...(isAdmin
      ? [
          {
            key: 'act',
            header: '',
            label: t('members.remove'),
            main: true,
            // Leaving is not offered here: someone else removes you (a base keeps at least one admin).
            cell: (m: Member) =>
              m.accountId === me ? null : (
                <Confirm
                  label={t('members.remove')}
                  triggerLabel={t('members.remove.label', { name: m.name })}
                  title={t('members.remove.title', { name: m.name })}
                  body={t('members.remove.body')}
                  confirmLabel={t('members.remove.confirm')}
                  intent="remove"
                  fields={{ memberId: m.id }}
                  busy={busy}
                />
              ),
          },
        ]
      : []),
  ]
  return (
    <>
      <p className="small">
        <Link to="/base">← {t('base.title')}</Link>
      </p>
      <h1>{t('members.title')}</h1>
      <p className="lead">{t('members.lead')}</p>
      {actionData?.done ? <Notice>{t(`members.${actionData.done}`)}</Notice> : null}
      {formError ? <FormAlert>{formError}</FormAlert> : null}

      <section className="panel" aria-labelledby="list">
        <h2 id="list">{t('members.list')}</h2>
        <DataTable columns={columns} rows={members} rowKey={(m) => m.id} caption={t('members.list')} />
      </section>

      <section className="panel" aria-labelledby="pending">
        <h2 id="pending">{t('members.pending')}</h2>
        {invitations.length === 0 ? (
          <p className="muted">{t('members.pending.none')}</p>
        ) : (
          <ul className="stack">
            {invitations.map((i) => (
              <li key={i.id}>
                {i.name} · <span className="mono">{i.phone}</span>
                {i.isAdmin ? ` · ${t('members.role.admin')}` : ''} · {t('members.expires')} {formatDate(lang, i.expiresAt, 'day')}
                {isAdmin ? (
                  <Form method="post">
                    <input type="hidden" name="invitationId" value={i.id} />
                    <button type="submit" name="intent" value="cancel" className="link-button" disabled={busy}>
                      {t('members.cancel')}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel" aria-labelledby="invite-title">
        <h2 id="invite-title">{t('members.invite')}</h2>
        {isAdmin ? (
          <Form method="post" className="stack" {...getFormProps(form)}>
            <TextField
              meta={fields.phone}
              label={t('members.invite.phone')}
              hint={t('members.invite.phone.hint')}
              type="tel"
              inputMode="tel"
              autoComplete="off"
              required
            />
            <label className="checkbox">
              <input type="checkbox" name={fields.isAdmin.name} />
              <span>{t('members.invite.admin')}</span>
            </label>
            <button type="submit" name="intent" value="invite" className="button" disabled={busy}>
              {t('members.invite.submit')}
            </button>
          </Form>
        ) : (
          <p className="muted">{t('members.readonly')}</p>
        )}
      </section>
    </>
  )
}

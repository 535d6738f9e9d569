import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import type { z } from 'zod'

import { requireRole } from '#app/auth/auth.server.ts'
import { ANSWERED_ELSEWHERE, FormAlert, Notice, SelectField, TextField } from '#app/components/form.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { FullIdPermissionSchema } from '#app/domain/compliance/exports.schema.ts'
import { STAFF_ROLES, StaffActionSchema } from '#app/domain/identity/accounts.schema.ts'
import { createStaffAccount, listBases, listStaff, setAccountDisabled, setFullIdExport } from '#app/domain/identity/accounts.server.ts'
import { revokeAllSessions } from '#app/domain/identity/sessions.server.ts'
import { PROVINCE, regionName, REGIONS } from '#app/domain/shared/reference.ts'
import { pageTitle, plural, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'
import { fieldErrorList } from '#app/lib/http.server.ts'

import { type ResetActionData, resetPasswordAction } from './staff-reset.server.ts'

export const meta = pageTitle('admin.staff.title')

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['admin'])
  const db = getDb()
  const [staff, bases] = await Promise.all([listStaff(db), listBases(db)])
  return {
    staff: staff.map((s) => ({ ...s, created_at: s.created_at.toISOString(), disabled_at: s.disabled_at ? String(s.disabled_at) : null })),
    bases: bases.filter((b) => b.status !== 'revoked'),
    // The roles come with the data, so the page does not ship the schema module for a constant.
    roles: STAFF_ROLES,
  }
}

type ActionData =
  | { intent: 'create'; ok: true; result: SubmissionResult }
  | { intent: 'create'; ok: false; result: SubmissionResult }
  | { intent: 'revoke'; revoked: number }
  | { intent: 'disable' | 'enable'; ok: boolean; error?: 'self' }
  | { intent: 'grant-full-ids' | 'revoke-full-ids'; ok: boolean }
  | ResetActionData

// The password is never sent back to the page.
const HIDDEN = ['password']

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, ['admin'])
  const formData = await request.formData()
  if (formData.get('intent') === 'reset-password') return resetPasswordAction(admin.accountId, formData)
  if (formData.get('intent') === 'grant-full-ids' || formData.get('intent') === 'revoke-full-ids')
    return fullIdAction(admin.accountId, formData)
  const submission = parseWithZod(formData, { schema: StaffActionSchema, disableAutoCoercion: true })
  const db = getDb()
  const intent = formData.get('intent')
  if (intent === 'revoke' || intent === 'disable' || intent === 'enable') {
    // Only a forged form lacks a valid account id.
    if (submission.status !== 'success' || submission.value.intent === 'create') throw new Response('Bad Request', { status: 400 })
    const { accountId } = submission.value
    // Signing out everywhere and disabling ask first: without the confirmation step's field nothing changes.
    if (intent !== 'enable' && !isConfirmed(formData)) throw new Response('Bad Request', { status: 400 })
    if (intent === 'revoke') {
      const revoked = await db.transaction().execute((trx) => revokeAllSessions(trx, accountId, { actorAccountId: admin.accountId }))
      return { intent, revoked } satisfies ActionData
    }
    const r = await db.transaction().execute((trx) => setAccountDisabled(trx, accountId, intent === 'disable', admin.accountId))
    if (!r.ok && r.code === 'not_found') throw new Response('Not Found', { status: 404 })
    if (!r.ok) return data<ActionData>({ intent, ok: false, error: 'self' }, { status: 400 })
    return { intent, ok: true } satisfies ActionData
  }
  if (submission.status !== 'success' || submission.value.intent !== 'create')
    return data<ActionData>({ intent: 'create', ok: false, result: submission.reply({ hideFields: HIDDEN }) }, { status: 400 })
  const { intent: _create, ...input } = submission.value
  const result = await createStaffAccount(db, admin.accountId, input)
  if (!result.ok)
    return data<ActionData>(
      { intent: 'create', ok: false, result: submission.reply({ hideFields: HIDDEN, fieldErrors: fieldErrorList(result.errors) }) },
      { status: 400 },
    )
  return { intent: 'create', ok: true, result: submission.reply({ resetForm: true }) } satisfies ActionData
}

/** "May export full ID numbers" (compliance exports) for an HR account; granting asks first. */
async function fullIdAction(adminAccountId: number, formData: FormData) {
  const submission = parseWithZod(formData, { schema: FullIdPermissionSchema })
  // Only a forged form lacks a valid account id.
  if (submission.status !== 'success') throw new Response('Bad Request', { status: 400 })
  const { intent, accountId } = submission.value
  if (intent === 'grant-full-ids' && !isConfirmed(formData)) throw new Response('Bad Request', { status: 400 })
  const r = await getDb()
    .transaction()
    .execute((trx) => setFullIdExport(trx, accountId, intent === 'grant-full-ids', adminAccountId))
  if (!r.ok && r.code === 'not_found') throw new Response('Not Found', { status: 404 })
  if (!r.ok) return data<ActionData>({ intent, ok: false }, { status: 400 })
  return { intent, ok: true } satisfies ActionData
}

export default function AdminStaff() {
  const { staff, bases, roles } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const [form, fields] = useForm<z.input<typeof StaffActionSchema>>({
    id: 'staff',
    lastResult: actionData ? (actionData.intent === 'create' ? actionData.result : ANSWERED_ELSEWHERE) : undefined,
  })
  // The binding fields follow the chosen role.
  const [role, setRole] = useState(typeof fields.role.initialValue === 'string' ? fields.role.initialValue : '')
  return (
    <>
      <h1>{t('admin.staff.title')}</h1>
      {actionData?.intent === 'create' && actionData.ok ? <Notice>{t('admin.staff.created')}</Notice> : null}
      {actionData?.intent === 'revoke' ? (
        <Notice>{t(`admin.staff.revoked.${plural(lang, actionData.revoked)}`, { count: actionData.revoked })}</Notice>
      ) : null}
      {(actionData?.intent === 'disable' || actionData?.intent === 'enable') && actionData.ok ? (
        <Notice>{t(`admin.staff.${actionData.intent}d`)}</Notice>
      ) : null}
      {actionData?.intent === 'reset-password' && actionData.ok ? (
        <Notice>
          {t('admin.staff.tempPassword', {
            name: staff.find((s) => s.id === actionData.accountId)?.name ?? '',
            password: actionData.temporaryPassword,
          })}
        </Notice>
      ) : null}
      {actionData?.intent === 'reset-password' && !actionData.ok ? <FormAlert>{t(actionData.error)}</FormAlert> : null}
      {(actionData?.intent === 'grant-full-ids' || actionData?.intent === 'revoke-full-ids') && actionData.ok ? (
        <Notice>{t(actionData.intent === 'grant-full-ids' ? 'complianceExports.staff.granted' : 'complianceExports.staff.revoked')}</Notice>
      ) : null}
      {(actionData?.intent === 'grant-full-ids' || actionData?.intent === 'revoke-full-ids') && !actionData.ok ? (
        <FormAlert>{t('complianceExports.staff.notHr')}</FormAlert>
      ) : null}
      {(actionData?.intent === 'disable' || actionData?.intent === 'enable') && !actionData.ok ? (
        <FormAlert>{t('admin.staff.err.self')}</FormAlert>
      ) : null}
      {staff.length === 0 ? (
        <p className="muted">{t('admin.staff.none')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('table.name')}</th>
                <th scope="col">{t('table.idNumber')}</th>
                <th scope="col">{t('table.role')}</th>
                <th scope="col">{t('table.binding')}</th>
                <th scope="col">{t('admin.staff.status')}</th>
                <th scope="col">{t('table.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {staff.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td className="mono">{s.idNumberMasked}</td>
                  <td>{t(`role.${s.role}`)}</td>
                  <td>{s.base_name ?? (s.scope_region ? regionName(s.scope_region, lang) : '—')}</td>
                  <td>
                    {s.disabled_at ? (
                      <span className="badge badge-revoked">{t('admin.staff.disabledBadge')}</span>
                    ) : (
                      <span className="badge badge-designated">{t('admin.staff.activeBadge')}</span>
                    )}
                    {s.role === 'hr' && s.can_export_full_ids ? (
                      <div className="small">{t('complianceExports.staff.fullIdsBadge')}</div>
                    ) : null}
                  </td>
                  <td>
                    <div className="row-actions">
                      {s.disabled_at ? (
                        <Form method="post">
                          <input type="hidden" name="accountId" value={s.id} />
                          <button type="submit" name="intent" value="enable" className="link-button" disabled={busy}>
                            {t('admin.staff.enable')}
                          </button>
                        </Form>
                      ) : (
                        <>
                          <Confirm
                            label={t('admin.staff.revoke')}
                            triggerLabel={t('admin.staff.revoke.label', { name: s.name })}
                            title={t('admin.staff.revoke.title')}
                            body={<p>{t('admin.staff.revoke.body', { name: s.name })}</p>}
                            confirmLabel={t('admin.staff.revoke.confirm')}
                            intent="revoke"
                            fields={{ accountId: s.id }}
                            busy={busy}
                          />
                          <Confirm
                            label={t('admin.staff.disable')}
                            triggerLabel={t('admin.staff.disable.label', { name: s.name })}
                            title={t('admin.staff.disable.title')}
                            body={<p>{t('admin.staff.disable.body', { name: s.name })}</p>}
                            confirmLabel={t('admin.staff.disable.confirm')}
                            intent="disable"
                            fields={{ accountId: s.id }}
                            busy={busy}
                          />
                          <Form method="post">
                            <input type="hidden" name="accountId" value={s.id} />
                            <button type="submit" name="intent" value="reset-password" className="link-button" disabled={busy}>
                              {t('admin.staff.resetPassword')}
                            </button>
                          </Form>
                          {s.role === 'hr' ? (
                            s.can_export_full_ids ? (
                              <Form method="post">
                                <input type="hidden" name="accountId" value={s.id} />
                                <button
                                  type="submit"
                                  name="intent"
                                  value="revoke-full-ids"
                                  className="link-button"
                                  aria-label={t('complianceExports.staff.revoke.label', { name: s.name })}
                                  disabled={busy}
                                >
                                  {t('complianceExports.staff.revoke')}
                                </button>
                              </Form>
                            ) : (
                              <Confirm
                                label={t('complianceExports.staff.grant')}
                                triggerLabel={t('complianceExports.staff.grant.label', { name: s.name })}
                                title={t('complianceExports.staff.grant.title')}
                                body={<p>{t('complianceExports.staff.grant.body', { name: s.name })}</p>}
                                confirmLabel={t('complianceExports.staff.grant.confirm')}
                                intent="grant-full-ids"
                                fields={{ accountId: s.id }}
                                busy={busy}
                                tone="primary"
                              />
                            )
                          ) : null}
                        </>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="panel form-page" aria-labelledby="create-title">
        <h2 id="create-title">{t('admin.staff.create')}</h2>
        {form.status === 'error' ? <FormAlert>{t('err.form')}</FormAlert> : null}
        <Form
          method="post"
          className="stack"
          key={actionData?.intent === 'create' && actionData.ok ? 'done' : 'form'}
          {...getFormProps(form)}
        >
          <TextField meta={fields.name} label={t('field.name')} required />
          <TextField
            meta={fields.idNumber}
            label={t('field.idNumber')}
            hint={t('field.idNumber.hint')}
            required
            maxLength={18}
            autoComplete="off"
          />
          <TextField meta={fields.phone} type="tel" label={t('field.phone')} required />
          <SelectField
            meta={fields.role}
            label={t('field.role')}
            required
            placeholder={t('field.choose')}
            options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            value={role}
            onChange={setRole}
          />
          {role === 'base_staff' || fields.baseId.errors ? (
            bases.length ? (
              <SelectField
                meta={fields.baseId}
                label={t('field.base')}
                required
                placeholder={t('field.choose')}
                options={bases.map((b) => ({ value: String(b.id), label: b.name }))}
              />
            ) : (
              <p className="muted">{t('admin.staff.noBases')}</p>
            )
          ) : null}
          {role === 'hr' || fields.scopeRegion.errors ? (
            <SelectField
              meta={fields.scopeRegion}
              label={t('field.scopeRegion')}
              required
              placeholder={t('field.choose')}
              options={[PROVINCE, ...REGIONS].map((r) => ({ value: r.code, label: r[lang] }))}
            />
          ) : null}
          <TextField
            meta={fields.password}
            type="password"
            label={t('field.password')}
            hint={t('field.password.hint')}
            required
            autoComplete="new-password"
          />
          <button type="submit" name="intent" value="create" className="button" disabled={busy}>
            {t('admin.staff.submit')}
          </button>
        </Form>
      </section>
    </>
  )
}

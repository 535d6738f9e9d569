import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import { fieldErrors, STAFF_ROLES, StaffSchema, type FieldErrors } from '#app/domain/identity/accounts.schema.ts'
import { createStaffAccount, listBases, listStaff, setAccountDisabled } from '#app/domain/identity/accounts.server.ts'
import { PROVINCE, REGIONS, regionName } from '#app/domain/shared/reference.ts'
import { revokeAllSessions } from '#app/domain/identity/sessions.server.ts'
import { requireRole } from '#app/auth/auth.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { formFields } from '#app/lib/http.server.ts'
import { FormAlert, Notice, SelectField, TextField, useFocusFirstError } from '#app/components/form.tsx'
import { useLang, useT } from '#app/i18n/use-t.ts'

export const meta = pageTitle('admin.staff.title')

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['admin'])
  const db = getDb()
  const [staff, bases] = await Promise.all([listStaff(db), listBases(db)])
  return {
    staff: staff.map((s) => ({ ...s, created_at: s.created_at.toISOString(), disabled_at: s.disabled_at ? String(s.disabled_at) : null })),
    bases: bases.filter((b) => b.status !== 'revoked'),
  }
}

type ActionData =
  | { intent: 'create'; ok: true }
  | { intent: 'create'; ok: false; errors: FieldErrors; values: Record<string, string> }
  | { intent: 'revoke'; revoked: number }
  | { intent: 'disable' | 'enable'; ok: boolean; error?: 'self' }

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, ['admin'])
  const fields = await formFields(request)
  const db = getDb()
  if (fields.intent === 'disable' || fields.intent === 'enable') {
    const intent = fields.intent
    const accountId = Number(fields.accountId)
    if (!Number.isInteger(accountId) || accountId <= 0) throw new Response('Bad Request', { status: 400 })
    const r = await db.transaction().execute((trx) => setAccountDisabled(trx, accountId, intent === 'disable', admin.accountId))
    if (!r.ok && r.error === 'not_found') throw new Response('Not Found', { status: 404 })
    if (!r.ok) return data<ActionData>({ intent, ok: false, error: 'self' }, { status: 400 })
    return { intent, ok: true } satisfies ActionData
  }
  if (fields.intent === 'revoke') {
    const accountId = Number(fields.accountId)
    if (!Number.isInteger(accountId) || accountId <= 0) throw new Response('Bad Request', { status: 400 })
    const revoked = await db.transaction().execute((trx) => revokeAllSessions(trx, accountId, { actorAccountId: admin.accountId }))
    return { intent: 'revoke', revoked } satisfies ActionData
  }
  const { password: _p, ...values } = fields
  const parsed = StaffSchema.safeParse(fields)
  if (!parsed.success) return data<ActionData>({ intent: 'create', ok: false, errors: fieldErrors(parsed.error), values }, { status: 400 })
  const result = await createStaffAccount(db, admin.accountId, parsed.data)
  if (!result.ok) return data<ActionData>({ intent: 'create', ok: false, errors: result.errors, values }, { status: 400 })
  return { intent: 'create', ok: true } satisfies ActionData
}

export default function AdminStaff() {
  const { staff, bases } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const failed = actionData?.intent === 'create' && !actionData.ok ? actionData : undefined
  const errors = failed?.errors ?? {}
  useFocusFirstError(failed?.errors)
  const values = failed?.values ?? {}
  const [role, setRole] = useState(values.role ?? '')
  const err = (k: string) => (errors[k] ? t(errors[k]) : undefined)
  return (
    <>
      <h1>{t('admin.staff.title')}</h1>
      {actionData?.intent === 'create' && actionData.ok ? <Notice>{t('admin.staff.created')}</Notice> : null}
      {actionData?.intent === 'revoke' ? <Notice>{t('admin.staff.revoked', { count: actionData.revoked })}</Notice> : null}
      {(actionData?.intent === 'disable' || actionData?.intent === 'enable') && actionData.ok ? <Notice>{t(`admin.staff.${actionData.intent}d`)}</Notice> : null}
      {(actionData?.intent === 'disable' || actionData?.intent === 'enable') && !actionData.ok ? <FormAlert>{t('admin.staff.err.self')}</FormAlert> : null}
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
                  <td>{s.disabled_at ? <span className="badge badge-revoked">{t('admin.staff.disabledBadge')}</span> : <span className="badge badge-designated">{t('admin.staff.activeBadge')}</span>}</td>
                  <td>
                    <Form method="post" className="inline-actions">
                      <input type="hidden" name="accountId" value={s.id} />
                      {s.disabled_at ? null : (
                        <button type="submit" name="intent" value="revoke" className="link-button" disabled={busy}>
                          {t('admin.staff.revoke')}
                        </button>
                      )}{' '}
                      <button type="submit" name="intent" value={s.disabled_at ? 'enable' : 'disable'} className="link-button" disabled={busy}>
                        {s.disabled_at ? t('admin.staff.enable') : t('admin.staff.disable')}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="panel form-page" aria-labelledby="create-title">
        <h2 id="create-title">{t('admin.staff.create')}</h2>
        {failed ? <FormAlert>{t('err.form')}</FormAlert> : null}
        <Form method="post" noValidate className="stack" key={actionData?.intent === 'create' && actionData.ok ? 'done' : 'form'}>
          <input type="hidden" name="intent" value="create" />
          <TextField name="name" label={t('field.name')} required defaultValue={values.name} error={err('name')} />
          <TextField name="idNumber" label={t('field.idNumber')} hint={t('field.idNumber.hint')} required maxLength={18} autoComplete="off" defaultValue={values.idNumber} error={err('idNumber')} />
          <TextField name="phone" type="tel" label={t('field.phone')} required defaultValue={values.phone} error={err('phone')} />
          <div className="field">
            <label htmlFor="role">
              {t('field.role')}
              <span className="required" aria-hidden="true">
                {' '}*
              </span>
            </label>
            <select id="role" name="role" required value={role} onChange={(e) => setRole(e.target.value)} aria-invalid={errors.role ? true : undefined} aria-describedby={errors.role ? 'role-error' : undefined}>
              <option value="" disabled>
                {t('field.choose')}
              </option>
              {STAFF_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
            {errors.role ? (
              <p className="field-error" id="role-error" role="alert">
                {t(errors.role)}
              </p>
            ) : null}
          </div>
          {role === 'base_staff' || errors.baseId ? (
            bases.length ? (
              <SelectField name="baseId" label={t('field.base')} required placeholder={t('field.choose')} options={bases.map((b) => ({ value: String(b.id), label: b.name }))} defaultValue={values.baseId} error={err('baseId')} />
            ) : (
              <p className="muted">{t('admin.staff.noBases')}</p>
            )
          ) : null}
          {role === 'hr' || errors.scopeRegion ? (
            <SelectField
              name="scopeRegion"
              label={t('field.scopeRegion')}
              required
              placeholder={t('field.choose')}
              options={[PROVINCE, ...REGIONS].map((r) => ({ value: r.code, label: r[lang] }))}
              defaultValue={values.scopeRegion}
              error={err('scopeRegion')}
            />
          ) : null}
          <TextField name="password" type="password" label={t('field.password')} hint={t('field.password.hint')} required autoComplete="new-password" error={err('password')} />
          <button type="submit" className="button" disabled={busy}>
            {t('admin.staff.submit')}
          </button>
        </Form>
      </section>
    </>
  )
}

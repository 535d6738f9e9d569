import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { createApiClient, listApiClients, revokeApiClient } from '#app/domain/credit-api/api-clients.server.ts'
import { PROVINCE, REGIONS, regionName } from '#app/domain/shared/reference.ts'
import { requireRole } from '#app/auth/auth.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { formFields } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { FormAlert, Notice, SelectField, TextField, useFocusFirstError } from '#app/components/form.tsx'
import { useLang, useT } from '#app/i18n/use-t.ts'

export const meta = pageTitle('admin.api.title')

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['admin'])
  const clients = await listApiClients(getDb())
  return {
    clients: clients.map((c) => ({
      ...c,
      created_at: c.created_at.toISOString(),
      revoked_at: c.revoked_at ? new Date(c.revoked_at).toISOString() : null,
      last_used_at: c.last_used_at ? new Date(c.last_used_at).toISOString() : null,
    })),
  }
}

type ActionData =
  | { intent: 'create'; ok: true; key: string; name: string }
  | { intent: 'create'; ok: false; errors: Record<string, string>; values: Record<string, string> }
  | { intent: 'revoke'; ok: boolean }

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, ['admin'])
  const fields = await formFields(request)
  const db = getDb()
  if (fields.intent === 'revoke') {
    const id = Number(fields.clientId)
    if (!Number.isInteger(id) || id <= 0) throw new Response('Bad Request', { status: 400 })
    const ok = await db.transaction().execute((trx) => revokeApiClient(trx, id, admin.accountId))
    return { intent: 'revoke', ok } satisfies ActionData
  }
  const errors: Record<string, string> = {}
  const rate = Number(fields.rateLimit ?? '600')
  if (!Number.isInteger(rate) || rate < 1 || rate > 100_000) errors.rateLimit = 'admin.api.err.rate'
  if (!fields.name?.trim() || fields.name.trim().length > 100) errors.name = 'admin.api.err.name'
  if (!fields.scopeRegion) errors.scopeRegion = 'err.choice'
  if (Object.keys(errors).length === 0) {
    const result = await db.transaction().execute((trx) =>
      createApiClient(trx, { name: fields.name!, scopeRegion: fields.scopeRegion!, rateLimitPerMinute: rate, actorAccountId: admin.accountId }),
    )
    if (result.ok) return { intent: 'create', ok: true, key: result.key, name: fields.name!.trim() } satisfies ActionData
    errors[result.error === 'name' ? 'name' : 'scopeRegion'] = result.error === 'name' ? 'admin.api.err.name' : 'err.choice'
  }
  return data<ActionData>({ intent: 'create', ok: false, errors, values: fields }, { status: 400 })
}

export default function AdminApiClients() {
  const { clients } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const failed = actionData?.intent === 'create' && !actionData.ok ? actionData : undefined
  const created = actionData?.intent === 'create' && actionData.ok ? actionData : undefined
  const errors = failed?.errors ?? {}
  const values = failed?.values ?? {}
  useFocusFirstError(failed?.errors)
  const err = (k: string) => (errors[k] ? t(errors[k]) : undefined)
  const fmt = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' })
  return (
    <>
      <h1>{t('admin.api.title')}</h1>
      <p className="lead">
        {t('admin.api.lead')} <Link to="/developers">{t('admin.api.docs')}</Link>
      </p>
      {created ? (
        <div className="alert alert-success" role="status">
          <p>
            {created.name}: {t('admin.api.created')}
          </p>
          <code className="secret" data-testid="new-api-key">
            {created.key}
          </code>
        </div>
      ) : null}
      {actionData?.intent === 'revoke' && actionData.ok ? <Notice>{t('admin.api.revoked')}</Notice> : null}
      {clients.length === 0 ? (
        <p className="muted">{t('admin.api.none')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.api.name')}</th>
                <th scope="col">{t('admin.api.prefix')}</th>
                <th scope="col">{t('admin.api.scope')}</th>
                <th scope="col">{t('admin.api.rate')}</th>
                <th scope="col">{t('admin.api.lastUsed')}</th>
                <th scope="col">{t('admin.api.status')}</th>
                <th scope="col">{t('table.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {clients.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td className="mono">{c.key_prefix}…</td>
                  <td>{regionName(c.scope_region, lang)}</td>
                  <td>{c.rate_limit_per_minute}</td>
                  <td>{c.last_used_at ? fmt.format(new Date(c.last_used_at)) : t('admin.api.never')}</td>
                  <td>{c.revoked_at ? <span className="badge badge-revoked">{t('admin.api.inactive')}</span> : <span className="badge badge-designated">{t('admin.api.active')}</span>}</td>
                  <td>
                    {c.revoked_at ? null : (
                      <Form method="post">
                        <input type="hidden" name="clientId" value={c.id} />
                        <button type="submit" name="intent" value="revoke" className="link-button">
                          {t('admin.api.revoke')}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="panel form-page" aria-labelledby="api-create">
        <h2 id="api-create">{t('admin.api.create')}</h2>
        {failed ? <FormAlert>{t('err.form')}</FormAlert> : null}
        <Form method="post" noValidate className="stack" key={created ? created.key : 'form'}>
          <input type="hidden" name="intent" value="create" />
          <TextField name="name" label={t('admin.api.name')} required defaultValue={values.name} error={err('name')} />
          <SelectField
            name="scopeRegion"
            label={t('admin.api.scope')}
            required
            placeholder={t('field.choose')}
            options={[PROVINCE, ...REGIONS].map((r) => ({ value: r.code, label: r[lang] }))}
            defaultValue={values.scopeRegion}
            error={err('scopeRegion')}
          />
          <TextField name="rateLimit" inputMode="numeric" label={t('admin.api.rate')} defaultValue={values.rateLimit ?? '600'} error={err('rateLimit')} />
          <button type="submit" className="button" disabled={busy}>
            {t('admin.api.submit')}
          </button>
        </Form>
      </section>
    </>
  )
}

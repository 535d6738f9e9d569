import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireRole } from '#app/auth/auth.server.ts'
import { ANSWERED_ELSEWHERE, FormAlert, Notice, SelectField, TextField } from '#app/components/form.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { ApiClientActionSchema } from '#app/domain/credit-api/api-clients.schema.ts'
import { clearApiKeyCache, createApiClient, listApiClients, revokeApiClient } from '#app/domain/credit-api/api-clients.server.ts'
import { PROVINCE, regionName, REGIONS } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

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
  | { intent: 'create'; ok: true; key: string; name: string; result: SubmissionResult }
  | { intent: 'create'; ok: false; result: SubmissionResult }
  | { intent: 'revoke'; ok: boolean }

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, ['admin'])
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: ApiClientActionSchema, disableAutoCoercion: true })
  const db = getDb()
  if (formData.get('intent') === 'revoke') {
    // Only a forged form lacks a valid client id.
    if (submission.status !== 'success' || submission.value.intent !== 'revoke') throw new Response('Bad Request', { status: 400 })
    const { clientId } = submission.value
    // A revoked key cannot be restored: without the confirmation step's field nothing changes.
    if (!isConfirmed(formData)) return data<ActionData>({ intent: 'revoke', ok: false }, { status: 400 })
    const ok = await db.transaction().execute((trx) => revokeApiClient(trx, clientId, admin.accountId))
    // Once more after the commit: a check between the clear inside and the commit may have cached the key again.
    clearApiKeyCache()
    return { intent: 'revoke', ok } satisfies ActionData
  }
  if (submission.status !== 'success' || submission.value.intent !== 'create')
    return data<ActionData>({ intent: 'create', ok: false, result: submission.reply() }, { status: 400 })
  const input = submission.value
  const result = await db.transaction().execute((trx) =>
    createApiClient(trx, {
      name: input.name,
      scopeRegion: input.scopeRegion,
      rateLimitPerMinute: input.rateLimit,
      actorAccountId: admin.accountId,
    }),
  )
  if (result.ok)
    return {
      intent: 'create',
      ok: true,
      key: result.key,
      name: input.name,
      result: submission.reply({ resetForm: true }),
    } satisfies ActionData
  const fieldErrors: Record<string, string[]> =
    result.code === 'invalid_name' ? { name: ['admin.api.err.name'] } : { scopeRegion: ['err.choice'] }
  return data<ActionData>({ intent: 'create', ok: false, result: submission.reply({ fieldErrors }) }, { status: 400 })
}

export default function AdminApiClients() {
  const { clients } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const created = actionData?.intent === 'create' && actionData.ok ? actionData : undefined
  const [form, fields] = useForm<z.input<typeof ApiClientActionSchema>>({
    id: 'api-client',
    lastResult: actionData ? (actionData.intent === 'create' ? actionData.result : ANSWERED_ELSEWHERE) : undefined,
    defaultValue: { rateLimit: '600' },
  })
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
                  <td>{c.last_used_at ? formatDate(lang, c.last_used_at, 'dateTime') : t('admin.api.never')}</td>
                  <td>
                    {c.revoked_at ? (
                      <span className="badge badge-revoked">{t('admin.api.inactive')}</span>
                    ) : (
                      <span className="badge badge-designated">{t('admin.api.active')}</span>
                    )}
                  </td>
                  <td>
                    {c.revoked_at ? null : (
                      <Confirm
                        label={t('admin.api.revoke')}
                        triggerLabel={t('admin.api.revoke.label', { name: c.name })}
                        title={t('admin.api.revoke.title')}
                        body={<p>{t('admin.api.revoke.body', { name: c.name })}</p>}
                        confirmLabel={t('admin.api.revoke.confirm')}
                        intent="revoke"
                        fields={{ clientId: c.id }}
                        busy={busy}
                      />
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
        {form.status === 'error' ? <FormAlert>{t('err.form')}</FormAlert> : null}
        <Form method="post" className="stack" key={created ? created.key : 'form'} {...getFormProps(form)}>
          <TextField meta={fields.name} label={t('admin.api.name')} required />
          <SelectField
            meta={fields.scopeRegion}
            label={t('admin.api.scope')}
            required
            placeholder={t('field.choose')}
            options={[PROVINCE, ...REGIONS].map((r) => ({ value: r.code, label: r[lang] }))}
          />
          <TextField meta={fields.rateLimit} inputMode="numeric" label={t('admin.api.rate')} />
          <button type="submit" name="intent" value="create" className="button" disabled={busy}>
            {t('admin.api.submit')}
          </button>
        </Form>
      </section>
    </>
  )
}

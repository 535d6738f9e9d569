import { getFormProps, getTextareaProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { requireBaseStaff } from '#app/auth/auth.server.ts'
import { ANSWERED_ELSEWHERE, FormAlert, namedOptions, Notice, TextField, useErrorText } from '#app/components/form.tsx'
import type { Actor } from '#app/domain/bases/lifecycle.ts'
import { BaseProfileActionSchema, INTRO_MAX } from '#app/domain/bases/profile.schema.ts'
import { getProfile, nameChangesOf, requestNameChange, updateProfile, withdrawNameChange } from '#app/domain/bases/profile.server.ts'
import { TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /base/profile: the base's public profile (edited at once) and its name or credit code
// (a request HR of the region decides).
export const meta = pageTitle('baseProfile.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireBaseStaff(request)
  const db = getDb()
  const base = await getProfile(db, user.baseId)
  if (!base) throw new Response('Not Found', { status: 404 })
  const changes = await nameChangesOf(db, base.id)
  return {
    base: { name: base.name, creditCode: base.credit_code },
    readOnly: base.status === 'revoked' || base.status === 'rejected',
    defaults: {
      intro: base.intro ?? '',
      address: base.address ?? '',
      website: base.website ?? '',
      publicPhone: base.public_phone ?? '',
      trainingFields: base.training_fields,
    },
    updatedAt: base.profile_updated_at ? new Date(base.profile_updated_at).toISOString() : null,
    changes: changes.map((c) => ({
      id: c.id,
      newName: c.new_name,
      newCreditCode: c.new_credit_code,
      reason: c.reason,
      state: c.state,
      decisionReason: c.decision_reason,
      createdAt: c.created_at.toISOString(),
      decidedAt: c.decided_at ? new Date(c.decided_at).toISOString() : null,
    })),
  }
}

type Intent = 'profile' | 'rename' | 'withdraw'
type ActionData = { ok: true; done: Intent } | { ok: false; intent: Intent | null; result: SubmissionResult }

const CONFLICT = new Set(['read_only', 'name_change_pending', 'not_pending'])

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireBaseStaff(request)
  const formData = await request.formData()
  const raw = formData.get('intent')
  const intent = raw === 'profile' || raw === 'rename' || raw === 'withdraw' ? raw : null
  const submission = parseWithZod(formData, { schema: BaseProfileActionSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data<ActionData>({ ok: false, intent, result: submission.reply() }, { status: 400 })
  const input = submission.value
  // Always the signed-in staff member's own base: no form field names a base or a request.
  const baseId = user.baseId
  const actor: Actor = { role: 'base_staff', accountId: user.accountId, baseId }
  const r = await getDb()
    .transaction()
    .execute(async (trx) => {
      switch (input.intent) {
        case 'profile':
          return updateProfile(trx, actor, baseId, input)
        case 'rename':
          return requestNameChange(trx, actor, baseId, input)
        case 'withdraw': {
          const pending = await trx
            .selectFrom('base_name_changes')
            .select('id')
            .where('base_id', '=', baseId)
            .where('state', '=', 'pending')
            .executeTakeFirst()
          return pending ? withdrawNameChange(trx, actor, pending.id) : ({ ok: false, code: 'not_pending' } as const)
        }
      }
    })
  if (!r.ok) {
    if (r.code === 'not_found') throw new Response('Not Found', { status: 404 })
    if (r.code === 'forbidden') throw new Response('Forbidden', { status: 403 })
    const errors = (r as { errors?: Record<string, string[]> }).errors
    const reply = errors ? submission.reply({ fieldErrors: errors }) : submission.reply({ formErrors: [`baseProfile.code.${r.code}`] })
    return data<ActionData>({ ok: false, intent: input.intent, result: reply }, { status: CONFLICT.has(r.code) ? 409 : 400 })
  }
  return { ok: true, done: input.intent } satisfies ActionData
}

type ProfileFields = { intro: string; address: string; website: string; publicPhone: string; trainingFields: string[] }

export default function BaseProfile() {
  const { base, readOnly, defaults, updatedAt, changes } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const failed = actionData && !actionData.ok ? actionData : undefined
  const resultFor = (intent: Intent) => (failed ? (failed.intent === intent ? failed.result : ANSWERED_ELSEWHERE) : undefined)
  const [profileForm, fields] = useForm<ProfileFields>({ id: 'profile', lastResult: resultFor('profile'), defaultValue: defaults })
  const [renameForm, renameFields] = useForm<{ newName: string; newCreditCode: string; reason: string }>({
    id: 'rename',
    lastResult: resultFor('rename'),
  })
  const profileError = useErrorText(failed?.intent === 'profile' ? (failed.result.error?.[''] ?? undefined) : undefined)
  const renameError = useErrorText(failed?.intent !== 'profile' ? (failed?.result.error?.[''] ?? undefined) : undefined)
  const fieldsError = useErrorText(fields.trainingFields.errors)
  const introError = useErrorText(fields.intro.errors)
  const chosenValue = fields.trainingFields.value
  const chosen = new Set(Array.isArray(chosenValue) ? chosenValue : typeof chosenValue === 'string' ? [chosenValue] : [])
  const pending = changes.find((c) => c.state === 'pending')
  const decided = changes.filter((c) => c.state !== 'pending')
  const when = (iso: string) => formatDate(lang, iso, 'date')
  const what = (c: { newName: string | null; newCreditCode: string | null }) =>
    [
      c.newName ? t('baseProfile.rename.toName', { name: c.newName }) : null,
      c.newCreditCode ? t('baseProfile.rename.toCode', { code: c.newCreditCode }) : null,
    ]
      .filter(Boolean)
      .join('；')
  return (
    <>
      <p className="small">
        <Link to="/base">← {t('base.title')}</Link>
      </p>
      <h1>{t('baseProfile.title')}</h1>
      <p className="lead">
        {base.name} · <span className="mono">{base.creditCode}</span>
      </p>
      {readOnly ? <Notice>{t('baseProfile.readOnly')}</Notice> : null}

      <section className="panel" aria-labelledby="profile-title">
        <h2 id="profile-title">{t('baseProfile.public')}</h2>
        <p className="small muted">
          {t('baseProfile.public.lead')}
          {updatedAt ? ` ${t('baseProfile.updatedAt', { date: when(updatedAt) })}` : ''}
        </p>
        {actionData?.ok && actionData.done === 'profile' ? <Notice>{t('baseProfile.saved')}</Notice> : null}
        {profileError ? <FormAlert>{profileError}</FormAlert> : null}
        {readOnly ? null : (
          <Form method="post" className="stack" {...getFormProps(profileForm)}>
            <div className={`field${introError ? ' field-invalid' : ''}`}>
              <label htmlFor={fields.intro.id}>
                {t('baseProfile.intro')}
                <span className="required" aria-hidden="true">
                  {' '}
                  *
                </span>
              </label>
              <textarea
                {...getTextareaProps(fields.intro, { ariaDescribedBy: fields.intro.descriptionId })}
                rows={8}
                maxLength={INTRO_MAX}
                required
              />
              <p className="field-hint" id={fields.intro.descriptionId}>
                {t('baseProfile.intro.hint', { max: INTRO_MAX })}
              </p>
              {introError ? (
                <p className="field-error" id={fields.intro.errorId} role="alert">
                  {introError}
                </p>
              ) : null}
            </div>
            <TextField meta={fields.address} label={t('baseProfile.address')} required maxLength={200} />
            <TextField meta={fields.website} label={t('baseProfile.website')} hint={t('baseProfile.website.hint')} maxLength={300} />
            <TextField meta={fields.publicPhone} type="tel" label={t('baseProfile.publicPhone')} required maxLength={30} />
            <fieldset
              className={`field${fieldsError ? ' field-invalid' : ''}`}
              aria-describedby={fieldsError ? fields.trainingFields.errorId : undefined}
            >
              <legend>{t('baseProfile.trainingFields')}</legend>
              {namedOptions(TITLE_SERIES, lang).map((s) => (
                <label key={s.value} className="checkbox">
                  <input type="checkbox" name={fields.trainingFields.name} value={s.value} defaultChecked={chosen.has(s.value)} /> {s.label}
                </label>
              ))}
              {fieldsError ? (
                <p className="field-error" id={fields.trainingFields.errorId} role="alert">
                  {fieldsError}
                </p>
              ) : null}
            </fieldset>
            <button type="submit" name="intent" value="profile" className="button" disabled={busy}>
              {t('baseProfile.save')}
            </button>
          </Form>
        )}
      </section>

      <section className="panel" aria-labelledby="rename-title">
        <h2 id="rename-title">{t('baseProfile.rename')}</h2>
        <p className="small muted">{t('baseProfile.rename.lead')}</p>
        {actionData?.ok && actionData.done === 'rename' ? <Notice>{t('baseProfile.rename.sent')}</Notice> : null}
        {actionData?.ok && actionData.done === 'withdraw' ? <Notice>{t('baseProfile.rename.withdrawn')}</Notice> : null}
        {renameError ? <FormAlert>{renameError}</FormAlert> : null}
        {pending ? (
          <div className="stack">
            <p>
              <strong>{t('baseProfile.rename.pending', { date: when(pending.createdAt) })}</strong>
            </p>
            <p>{what(pending)}</p>
            <p className="small">{t('baseProfile.rename.reasonShown', { reason: pending.reason })}</p>
            <Form method="post">
              <button type="submit" name="intent" value="withdraw" className="button button-secondary" disabled={busy}>
                {t('baseProfile.rename.withdraw')}
              </button>
            </Form>
          </div>
        ) : readOnly ? null : (
          <Form method="post" className="stack" {...getFormProps(renameForm)}>
            <TextField meta={renameFields.newName} label={t('baseProfile.rename.newName')} maxLength={200} />
            <TextField
              meta={renameFields.newCreditCode}
              label={t('baseProfile.rename.newCreditCode')}
              hint={t('base.apply.field.creditCode.hint')}
              maxLength={18}
            />
            <TextField meta={renameFields.reason} label={t('baseProfile.rename.reason')} required maxLength={1000} />
            <button type="submit" name="intent" value="rename" className="button" disabled={busy}>
              {t('baseProfile.rename.submit')}
            </button>
          </Form>
        )}
        {decided.length > 0 ? (
          <>
            <h3>{t('baseProfile.rename.past')}</h3>
            <ul>
              {decided.map((c) => (
                <li key={c.id}>
                  {when(c.createdAt)} · {what(c)} · {t(`baseProfile.rename.state.${c.state}`)}
                  {c.decisionReason ? ` · ${t('baseFlow.reason', { reason: c.decisionReason })}` : ''}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </>
  )
}

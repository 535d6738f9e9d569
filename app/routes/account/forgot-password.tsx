import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { getUser, homeFor } from '#app/auth/auth.server.ts'
import { FormAlert, Notice, TextField } from '#app/components/form.tsx'
import { ResetPasswordSchema } from '#app/domain/identity/accounts.schema.ts'
import { requestResetCode, resetPasswordWithCode } from '#app/domain/identity/passwords.server.ts'
import { RESET_CODE_POLICY } from '#app/domain/identity/security-policy.ts'
import { translate } from '#app/i18n/catalog.server.ts'
import { pageTitle, useT } from '#app/i18n/index.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { getLogger } from '#app/lib/log.server.ts'
import { consume, failOpen } from '#app/lib/rate-limit.server.ts'
import { smsChannel } from '#app/lib/sms.server.ts'

import { clientIp } from './client-ip.server.ts'

export const meta = pageTitle('reset.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  if (user) throw redirect(homeFor(user.role))
  return null
}

const HIDDEN = ['password', 'passwordConfirm', 'code']

type ActionData = { result: SubmissionResult; step: 'send' | 'code' | 'done'; login?: string; waitMinutes?: number }

/**
 * 找回密码. Step 1 sends a code to the registered mobile of the account a login names, and
 * answers the same whether or not there is one (and without waiting for the SMS provider, so the
 * time taken tells nothing either). Step 2 sets the new password with the code.
 */
export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ResetPasswordSchema, disableAutoCoercion: true })
  const intent = submission.payload.intent === 'reset' ? 'reset' : 'send'
  const login = typeof submission.payload.login === 'string' ? submission.payload.login : undefined
  if (submission.status !== 'success')
    return data<ActionData>(
      { result: submission.reply({ hideFields: HIDDEN }), step: intent === 'reset' ? 'code' : 'send', login },
      { status: 400 },
    )
  const db = getDb()
  const v = submission.value
  if (v.intent === 'send') {
    // Per IP in Redis; fails open: the per-account caps in PostgreSQL bound what gets sent (ADR 0018).
    const wait = await failOpen('reset-ip', consume('reset-ip', clientIp(request), RESET_CODE_POLICY.perIp), 0)
    if (wait > 0)
      return data<ActionData>(
        {
          result: submission.reply({ formErrors: ['err.reset.tooMany'] }),
          step: 'send',
          login: v.login,
          waitMinutes: Math.ceil(wait / 60),
        },
        { status: 429 },
      )
    const lang = getLang(request)
    const channel = smsChannel()
    await requestResetCode(db, v.login, async (phone, code) => {
      void channel.send({ to: phone, text: translate(lang, 'reset.sms', { code }) }).catch((e: unknown) => {
        getLogger().error({ err: e }, 'password reset code not delivered')
      })
    })
    return data<ActionData>({ result: submission.reply({ resetForm: true }), step: 'code', login: v.login })
  }
  const result = await resetPasswordWithCode(db, { login: v.login, code: v.code, password: v.password })
  if (!result.ok)
    return data<ActionData>(
      { result: submission.reply({ hideFields: HIDDEN, fieldErrors: { code: ['err.reset.code'] } }), step: 'code', login: v.login },
      { status: 400 },
    )
  return data<ActionData>({ result: submission.reply({ resetForm: true }), step: 'done' })
}

export default function ForgotPassword() {
  const t = useT()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const step = actionData?.step ?? 'send'
  const [sendForm, sendFields] = useForm<{ login: string }>({
    id: 'reset-send',
    lastResult: step === 'send' ? actionData?.result : undefined,
  })
  const [codeForm, codeFields] = useForm<z.input<typeof ResetPasswordSchema>>({
    id: 'reset-code',
    lastResult: step === 'code' ? actionData?.result : undefined,
  })
  return (
    <section className="form-page narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">{t('reset.title')}</h1>
      {step === 'done' ? (
        <>
          <Notice>{t('reset.done')}</Notice>
          <p>
            <Link to="/login" className="button">
              {t('nav.login')}
            </Link>
          </p>
        </>
      ) : step === 'code' ? (
        <>
          {actionData?.result.status !== 'error' ? <Notice>{t('reset.sent')}</Notice> : null}
          <Form method="post" className="stack" {...getFormProps(codeForm)}>
            <input type="hidden" name="login" value={actionData?.login ?? ''} />
            <TextField
              meta={codeFields.code}
              label={t('reset.code')}
              hint={t('reset.code.hint')}
              inputMode="numeric"
              maxLength={6}
              required
              autoComplete="one-time-code"
            />
            <TextField
              meta={codeFields.password}
              type="password"
              label={t('password.new')}
              hint={t('field.password.hint')}
              required
              autoComplete="new-password"
            />
            <TextField
              meta={codeFields.passwordConfirm}
              type="password"
              label={t('field.passwordConfirm')}
              required
              autoComplete="new-password"
            />
            <button type="submit" name="intent" value="reset" className="button" disabled={busy}>
              {t('reset.submit')}
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="login" value={actionData?.login ?? ''} />
            <button type="submit" name="intent" value="send" className="button button-secondary" disabled={busy}>
              {t('reset.again')}
            </button>
          </Form>
        </>
      ) : (
        <>
          {actionData?.waitMinutes !== undefined ? (
            <FormAlert>{t('err.reset.tooMany', { minutes: actionData.waitMinutes })}</FormAlert>
          ) : null}
          <p className="lead">{t('reset.lead')}</p>
          <Form method="post" className="stack" {...getFormProps(sendForm)}>
            <TextField meta={sendFields.login} label={t('field.login')} required autoComplete="username" />
            <button type="submit" name="intent" value="send" className="button" disabled={busy}>
              {t('reset.send')}
            </button>
          </Form>
        </>
      )}
    </section>
  )
}

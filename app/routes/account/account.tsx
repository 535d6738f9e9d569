import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'

import { requireUser } from '#app/auth/auth.server.ts'
import { Notice } from '#app/components/form.tsx'
import { ReminderNotice } from '#app/components/reminder-notice.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { REMINDER_KIND } from '#app/domain/compliance/campaigns.schema.ts'
import { reminderGaps } from '#app/domain/compliance/campaigns.server.ts'
import { getOwnProfile } from '#app/domain/identity/accounts.server.ts'
import { listNotices, markNoticeRead } from '#app/domain/identity/notices.server.ts'
import { pendingTitleChange } from '#app/domain/identity/profile.server.ts'
import { listActiveSessions, revokeAllSessions } from '#app/domain/identity/sessions.server.ts'
import { nameOf, regionName, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

import { profileAction } from './profile.server.ts'
import { ProfileForm } from './profile-form.tsx'

export const meta = pageTitle('account.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const db = getDb()
  const [profile, notices, sessions, titlePending] = await Promise.all([
    getOwnProfile(db, user.accountId),
    listNotices(db, user.personId),
    listActiveSessions(db, user.accountId),
    pendingTitleChange(db, user.personId),
  ])
  // A reminder (compliance.reminder) shows the learner's own gap in its CE year, as last computed.
  const gaps = await reminderGaps(
    db,
    user.personId,
    notices.flatMap((n) => (n.kind === REMINDER_KIND ? [Number((n.params as { year?: unknown }).year)] : [])).filter(Number.isInteger),
  )
  return {
    profile,
    titlePending: titlePending && { ...titlePending, created_at: titlePending.created_at.toISOString() },
    notices: notices.map((n) => ({
      id: n.id,
      kind: n.kind,
      params: n.params as Record<string, string>,
      createdAt: n.created_at.toISOString(),
      readAt: n.read_at?.toISOString() ?? null,
      gap: n.kind === REMINDER_KIND ? (gaps.get(Number((n.params as { year?: unknown }).year)) ?? null) : null,
    })),
    sessions: sessions.map((s) => ({
      key: s.id.toString('hex').slice(0, 12),
      current: s.id.equals(user.sessionId),
      createdAt: s.created_at.toISOString(),
      userAgent: s.user_agent,
    })),
  }
}

/** The page's buttons, one intent each. */
const AccountActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('revoke-others') }),
  z.object({ intent: z.literal('read-notice'), noticeId: z.string().regex(/^[1-9]\d{0,17}$/) }),
])

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await request.formData()
  if (formData.get('intent') === 'profile') return profileAction(user, formData)
  const submission = parseWithZod(formData, { schema: AccountActionSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data({ revoked: null }, { status: 400 })
  if (submission.value.intent === 'read-notice') {
    // Marking one's own notice read changes nothing anyone else sees: no confirmation.
    const read = await markNoticeRead(getDb(), user.personId, Number(submission.value.noticeId))
    if (!read) throw new Response('Not Found', { status: 404 })
    return { read: Number(submission.value.noticeId) }
  }
  // Signing out everywhere asks first: without the confirmation step's field nothing changes.
  if (!isConfirmed(formData)) return data({ revoked: null }, { status: 400 })
  const count = await revokeAllSessions(getDb(), user.accountId, { except: user.sessionId })
  return { revoked: count }
}

/** "Chrome · Linux" rather than a raw user-agent string. */
function deviceName(ua: string | null): string | null {
  if (!ua) return null
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /MicroMessenger/.test(ua)
      ? 'WeChat'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrome\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : null
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null
  return browser || os ? [browser, os].filter(Boolean).join(' · ') : ua.slice(0, 40)
}

export default function AccountPage() {
  const { profile, notices, sessions, titlePending } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const profileAnswer = actionData && 'profile' in actionData ? actionData.profile : undefined
  const revoked = actionData && 'revoked' in actionData ? actionData.revoked : null
  const t = useT()
  const lang = useLang()
  const none = t('account.none')
  const rows: [string, string][] = [
    [t('field.name'), profile.name],
    [t('field.idNumber'), profile.idNumber],
    [t('account.gender'), t(`account.gender.${profile.gender}`)],
    [t('account.birthDate'), profile.birth_date],
    [t('field.phone'), profile.phone],
    [t('account.role'), t(`role.${profile.role}`)],
  ]
  if (profile.role === 'learner') {
    rows.push(
      [t('field.employer'), profile.employer ?? none],
      [t('field.region'), profile.region_code ? regionName(profile.region_code, lang) : none],
      [t('field.titleSeries'), profile.title_series ? nameOf(TITLE_SERIES, profile.title_series, lang) : none],
      [t('field.titleLevel'), profile.title_level ? nameOf(TITLE_LEVELS, profile.title_level, lang) : none],
      [t('field.titleYear'), profile.title_year ? String(profile.title_year) : none],
    )
  }
  if (profile.base_name) rows.push([t('account.base'), profile.base_name])
  if (profile.scope_region) rows.push([t('account.scope'), regionName(profile.scope_region, lang)])
  return (
    <>
      <h1>{t('account.welcome', { name: profile.name })}</h1>
      <div className="grid-2">
        <section className="panel" aria-labelledby="profile-title">
          <h2 id="profile-title">{t('account.profile')}</h2>
          <dl className="facts">
            {rows.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
          <p className="muted small">{t('account.idNote')}</p>
          {titlePending ? (
            <p className="muted small">
              {t('account.titlePending', {
                title: [
                  nameOf(TITLE_SERIES, titlePending.title_series, lang),
                  nameOf(TITLE_LEVELS, titlePending.title_level, lang),
                  titlePending.title_year ?? '',
                ]
                  .filter(Boolean)
                  .join(' · '),
                time: formatDate(lang, titlePending.created_at, 'dateTime'),
              })}
            </p>
          ) : null}
          <p>
            {t('account.password')}
            {t('common.colon')}
            <Link to="/account/password">{t('account.password.change')}</Link>
          </p>
          {profile.role === 'learner' ? (
            <p>
              <Link to="/bases/apply">{t('base.registry.apply')}</Link> ·{' '}
              <Link to="/account/base-invitations">{t('invitations.title')}</Link> ·{' '}
              <Link to="/account/seminars">{t('nav.account.seminars')}</Link>
            </p>
          ) : null}
        </section>
        {profile.role === 'learner' ? (
          <ProfileForm
            defaults={{
              phone: profile.phone,
              employer: profile.employer ?? '',
              titleSeries: titlePending?.title_series ?? profile.title_series ?? '',
              titleLevel: titlePending?.title_level ?? profile.title_level ?? '',
              titleYear: String(titlePending ? (titlePending.title_year ?? '') : (profile.title_year ?? '')),
            }}
            lastResult={profileAnswer?.result}
            saved={profileAnswer?.saved}
          />
        ) : null}
        <div className="stack">
          <section className="panel" aria-labelledby="notices-title">
            <h2 id="notices-title">{t('account.notices')}</h2>
            {notices.length === 0 ? (
              <p className="muted">{t('account.notices.none')}</p>
            ) : (
              <ul className="notices">
                {notices.map((n) => (
                  <li key={n.id}>
                    {n.kind === REMINDER_KIND ? (
                      <ReminderNotice
                        title={n.params.title ?? ''}
                        message={n.params.message ?? ''}
                        year={Number(n.params.year)}
                        gap={n.gap}
                      />
                    ) : (
                      <>
                        <strong>{t.issue(`notice.${n.kind}.title`)}</strong>
                        <p>{t.issue(`notice.${n.kind}.body`, n.params)}</p>
                      </>
                    )}
                    <time dateTime={n.createdAt} className="muted small">
                      {formatDate(lang, n.createdAt, 'dateTime')}
                    </time>
                    {n.readAt ? null : (
                      <Form method="post" className="inline">
                        <input type="hidden" name="noticeId" value={n.id} />{' '}
                        <span className="badge">{t('complianceCampaigns.notice.unread')}</span>{' '}
                        <button type="submit" name="intent" value="read-notice" className="link-button">
                          {t('complianceCampaigns.notice.markRead')}
                        </button>
                      </Form>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="panel" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{t('account.sessions')}</h2>
            {revoked != null ? <Notice>{t('account.sessions.revoked', { count: revoked })}</Notice> : null}
            <ul className="sessions">
              {sessions.map((s) => (
                <li key={s.key}>
                  <span>{deviceName(s.userAgent) ?? t('account.sessions.unknownAgent')}</span>{' '}
                  {s.current ? <span className="badge">{t('account.sessions.current')}</span> : null}
                  <br />
                  <span className="muted small">{t('account.sessions.since', { time: formatDate(lang, s.createdAt, 'dateTime') })}</span>
                </li>
              ))}
            </ul>
            {sessions.length > 1 ? (
              <Confirm
                variant="button-secondary"
                label={t('account.sessions.revokeOthers')}
                title={t('account.sessions.revokeOthers.title')}
                body={<p>{t('account.sessions.revokeOthers.body')}</p>}
                confirmLabel={t('account.sessions.revokeOthers')}
                intent="revoke-others"
              />
            ) : null}
          </section>
        </div>
      </div>
    </>
  )
}

import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from '@remix-run/react'
import type { Transaction } from 'kysely'

import { getUser, requireRole } from '#app/auth/auth.server.ts'
import { categoryLabel } from '#app/components/category.ts'
import { FormAlert, Notice } from '#app/components/form.tsx'
import { SeatList } from '#app/components/seminars/seats.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { seminarPolicyOn } from '#app/domain/policy/seminars-policy.server.ts'
import { RegistrationIntentSchema } from '#app/domain/seminars/plan.schema.ts'
import { holdsSeat, registrationOnSeminar, seminarDetail } from '#app/domain/seminars/plan.server.ts'
import { publicSeats } from '#app/domain/seminars/quotas.ts'
import {
  acceptOffer,
  cancel,
  type CancelCode,
  declineOffer,
  LIVE_STATUSES,
  type OfferCode,
  register,
  type Registrant,
  registrationBlockers,
} from '#app/domain/seminars/registration.server.ts'
import { surveyState } from '#app/domain/seminars/survey.server.ts'
import { nameOf, regionName, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import type { Result } from '#app/domain/shared/result.ts'
import { formatDate, formatHours, formatList, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import type { Database } from '#db/schema.ts'

type Trx = Transaction<Database>

// URL /seminars/:seminarId: one published seminar — what, when, where, seats left per quota, who
// may register; a signed-in learner sees whether they may (and why not) before pressing anything,
// their registration and place in line, and the buttons that apply.
export const meta = pageTitle('seminars.title')

function seminarIdOf(params: { seminarId?: string }): number {
  const raw = params.seminarId ?? ''
  if (!/^\d{1,12}$/.test(raw)) throw new Response('Not Found', { status: 404 })
  return Number(raw)
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const seminarId = seminarIdOf(params)
  const db = getDb()
  const now = new Date()
  const s = await seminarDetail(db, seminarId)
  if (!s) throw new Response('Not Found', { status: 404 })
  const lang = getLang(request)
  const user = await getUser(request)
  const seats = publicSeats(s.quotas, now)
  let you = null
  if (user?.role === 'learner') {
    const [blockers, reg, survey] = await Promise.all([
      registrationBlockers(db, user.personId, seminarId, now),
      registrationOnSeminar(db, user.personId, seminarId),
      surveyState(db, user.personId, seminarId, now),
    ])
    const live = reg !== null && (LIVE_STATUSES as readonly string[]).includes(reg.status)
    you = {
      window: blockers.window,
      host: blockers.host !== null,
      // Being registered is shown as the registration itself, not as a reason.
      reasons: blockers.reasons.filter((r) => r !== 'already_registered'),
      registration: reg && {
        id: reg.id,
        status: reg.status,
        live,
        position: reg.position,
        offerExpiresAt: reg.offer_expires_at?.toISOString() ?? null,
        canCancel: live && (!holdsSeat(reg.status) || now.getTime() < s.cancel_cutoff_at.getTime()),
      },
      // One key per page view: a double click (or a resent form) registers once.
      key: crypto.randomUUID(),
      // A participant whose survey is open gets the link to it.
      surveyOpen: survey === 'open',
    }
  }
  const rules = s.eligibility
  return {
    signedIn: user !== null,
    you,
    seminar: {
      id: s.id,
      title: s.title,
      level: s.level,
      category: s.category,
      host: s.host_name,
      hostBaseId: s.host_base_id,
      startDate: s.start_date,
      endDate: s.end_date,
      venue: s.venue,
      hours: s.declared_hours,
      opensAt: s.registration_opens_at.toISOString(),
      closesAt: s.registration_closes_at.toISOString(),
      cancelCutoffAt: s.cancel_cutoff_at.toISOString(),
      waitlistMode: s.waitlist_mode,
      offerHours: s.offer_hours,
      nationalLimit: seminarPolicyOn(s.start_date).nationalPerPersonPerYear,
      who: {
        levels: (rules.levels ?? []).map((c) => nameOf(TITLE_LEVELS, c, lang)),
        series: (rules.series ?? []).map((c) => nameOf(TITLE_SERIES, c, lang)),
        regions: (rules.regions ?? []).map((c) => regionName(c, lang)),
      },
    },
    seats: { ...seats, scoped: seats.scoped.map((x) => ({ ...x, releaseAt: x.releaseAt?.toISOString() ?? null })) },
  }
}

type Done = 'register' | 'cancel' | 'accept' | 'decline'
type ActionData = { result: SubmissionResult; done?: Done; registrationId?: number }

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ['learner'])
  const seminarId = seminarIdOf(params)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: RegistrationIntentSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data<ActionData>({ result: submission.reply() }, { status: 400 })
  const input = submission.value
  const refuse = (keys: string[], status: number) => data<ActionData>({ result: submission.reply({ formErrors: keys }) }, { status })
  if ((input.intent === 'cancel' || input.intent === 'decline') && !isConfirmed(formData)) return refuse(['err.confirm'], 400)
  const me = { personId: user.personId, accountId: user.accountId }
  const now = new Date()
  const db = getDb()
  if (input.intent === 'register') {
    const r = await db.transaction().execute((trx) => register(trx, me, seminarId, input.key, now))
    if (!r.ok) {
      if (r.code === 'not_found') throw new Response('Not Found', { status: 404 })
      if (r.code === 'ineligible') return refuse(r.reasons.map((x) => `seminars.reason.${x}`), 409)
      return refuse([`seminars.code.${r.code}`], 409)
    }
    return data<ActionData>({ result: submission.reply(), done: 'register', registrationId: r.registrationId })
  }
  const act: (trx: Trx, who: Registrant, id: number, at: Date) => Promise<Result<object, CancelCode | OfferCode>> =
    input.intent === 'cancel' ? cancel : input.intent === 'accept' ? acceptOffer : declineOffer
  const r = await db.transaction().execute((trx) => act(trx, me, input.registrationId, now))
  if (!r.ok) {
    if (r.code === 'not_found') throw new Response('Not Found', { status: 404 })
    return refuse([`seminars.code.${r.code}`], 409)
  }
  return data<ActionData>({ result: submission.reply(), done: input.intent, registrationId: input.registrationId })
}

/** Whether an instant is 00:00 in China (UTC+8, no daylight saving). */
const isChinaMidnight = (iso: string) => (new Date(iso).getTime() + 8 * 3600_000) % 86_400_000 === 0

export default function SeminarPage() {
  const { seminar: s, seats, you, signedIn } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const location = useLocation()
  const t = useT()
  const lang = useLang()
  const day = (d: string) => formatDate(lang, d, 'day')
  const at = (d: string) => formatDate(lang, d, 'dateTime')
  // A window or cutoff set as a day ends at the next day's 00:00 China time: show it as that day's 23:59.
  const until = (d: string) => at(new Date(new Date(d).getTime() - (isChinaMidnight(d) ? 60_000 : 0)).toISOString())
  const refusals = actionData?.result.error?.[''] ?? []
  const reg = you?.registration ?? null
  const blocked = you !== null && (you.window !== null || you.host || you.reasons.length > 0)
  const who = [
    s.who.levels.length ? t('seminars.who.levels', { list: formatList(lang, s.who.levels) }) : null,
    s.who.series.length ? t('seminars.who.series', { list: formatList(lang, s.who.series) }) : null,
    s.who.regions.length ? t('seminars.who.regions', { list: formatList(lang, s.who.regions) }) : null,
  ].filter((x): x is string => x !== null)
  const facts: [string, string][] = [
    [t('seminars.detail.when'), `${day(s.startDate)} – ${day(s.endDate)}`],
    [t('seminars.detail.where'), s.venue],
    [t('seminars.detail.hours'), formatHours(s.hours)],
    [t('seminars.detail.category'), categoryLabel(s.category, t)],
    [t('seminars.detail.window'), t('seminars.detail.windowValue', { from: at(s.opensAt), to: until(s.closesAt) })],
    [t('seminars.detail.cutoff'), until(s.cancelCutoffAt)],
    [t('seminars.detail.waitlist'), t(`seminars.waitlist.${s.waitlistMode}`, { hours: s.offerHours })],
  ]
  return (
    <>
      <p className="small">
        <Link to="/seminars">← {t('seminars.detail.back')}</Link>
      </p>
      <h1>{s.title}</h1>
      <p>
        <span className="badge">{t(`seminars.level.${s.level}`)}</span> {t('seminars.detail.hostOf')}
        <Link to={`/bases/${s.hostBaseId}`}>{s.host}</Link>
      </p>

      <section className="panel" aria-labelledby="seminar-you">
        <h2 id="seminar-you">{t('seminars.you.heading')}</h2>
        {actionData?.done ? <Notice>{t(`seminars.done.${actionData.done}`)}</Notice> : null}
        {refusals.length > 0 ? (
          <FormAlert>
            <ul>
              {refusals.map((k) => (
                <li key={k}>{t.issue(k)}</li>
              ))}
            </ul>
          </FormAlert>
        ) : null}
        {!signedIn ? (
          <>
            <p>{t('seminars.you.signedOut')}</p>
            <p>
              <Link className="button" to={`/login?redirectTo=${encodeURIComponent(location.pathname)}`}>
                {t('seminars.you.login')}
              </Link>
            </p>
          </>
        ) : you === null ? (
          <p className="muted">{t('seminars.you.notLearner')}</p>
        ) : (
          <>
            {you.surveyOpen ? (
              <p>
                {t('seminarSurvey.linkLead')}{' '}
                <Link className="button" to={`/seminars/${s.id}/survey`}>
                  {t('seminarSurvey.link')}
                </Link>
              </p>
            ) : null}
            {reg?.live ? (
              <p>
                <strong>
                  {t(`seminars.reg.${reg.status}`, {
                    position: reg.position ?? '',
                    date: reg.offerExpiresAt ? at(reg.offerExpiresAt) : '',
                  })}
                </strong>
              </p>
            ) : reg ? (
              <p className="muted">{t(`seminars.reg.${reg.status}`)}</p>
            ) : null}
            {reg?.live ? null : blocked ? (
              <>
                <p>{t('seminars.you.blocked')}</p>
                <ul>
                  {you.window ? <li>{t(`seminars.code.${you.window}`)}</li> : null}
                  {you.host ? <li>{t('seminars.code.host_unavailable')}</li> : null}
                  {you.reasons.map((r) => (
                    <li key={r}>{t(`seminars.reason.${r}`)}</li>
                  ))}
                </ul>
              </>
            ) : (
              <>
                <p>{t('seminars.you.eligible')}</p>
                <Form method="post">
                  <input type="hidden" name="key" value={you.key} />
                  <button type="submit" name="intent" value="register" className="button" disabled={busy}>
                    {reg ? t('seminars.register.again') : t('seminars.register')}
                  </button>
                </Form>
              </>
            )}
            {reg?.live ? (
              <div className="inline-actions">
                {reg.status === 'offered' ? (
                  <>
                    <Form method="post">
                      <input type="hidden" name="registrationId" value={reg.id} />
                      <button type="submit" name="intent" value="accept" className="button" disabled={busy}>
                        {t('seminars.accept')}
                      </button>
                    </Form>
                    <Confirm
                      label={t('seminars.decline')}
                      title={t('seminars.decline.title')}
                      body={t('seminars.decline.body')}
                      confirmLabel={t('seminars.decline.confirm')}
                      intent="decline"
                      fields={{ registrationId: reg.id }}
                      busy={busy}
                      variant="button-secondary"
                    />
                  </>
                ) : reg.canCancel ? (
                  <Confirm
                    label={reg.status === 'waitlisted' ? t('seminars.leave') : t('seminars.cancel')}
                    title={t('seminars.cancel.title')}
                    body={t('seminars.cancel.body')}
                    confirmLabel={t('seminars.cancel.confirm')}
                    intent="cancel"
                    fields={{ registrationId: reg.id }}
                    busy={busy}
                    variant="button-secondary"
                  />
                ) : (
                  <p className="small muted">{t('seminars.cutoffPassed', { date: until(s.cancelCutoffAt) })}</p>
                )}
              </div>
            ) : null}
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="seminar-facts">
        <h2 id="seminar-facts">{t('seminars.detail.facts')}</h2>
        <dl className="facts">
          {facts.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section className="panel" aria-labelledby="seminar-seats">
        <h2 id="seminar-seats">{t('seminars.seats.heading')}</h2>
        <SeatList seats={seats} t={t} lang={lang} />
      </section>

      <section className="panel" aria-labelledby="seminar-who">
        <h2 id="seminar-who">{t('seminars.who.heading')}</h2>
        <ul>
          {who.length === 0 ? <li>{t('seminars.who.anyone')}</li> : who.map((w) => <li key={w}>{w}</li>)}
          <li>{s.level === 'national' ? t('seminars.who.national', { n: s.nationalLimit }) : t('seminars.who.provincial')}</li>
        </ul>
      </section>
    </>
  )
}

import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireHr } from '#app/auth/hr.server.ts'
import { categoryOptions } from '#app/components/category.ts'
import { ANSWERED_ELSEWHERE, FormAlert, Notice, SelectField, TextField, useErrorText } from '#app/components/form.tsx'
import { type LedgerRowView, LedgerTable } from '#app/components/ledger-table.tsx'
import { MetBadge } from '#app/components/met-badge.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { YearPicker } from '#app/components/year-picker.tsx'
import { PersonLedgerActionSchema } from '#app/domain/hours/hr-ledger.schema.ts'
import { addAdjustment, isRefusal, personForHr, reverseForHr } from '#app/domain/hours/hr-ledger.server.ts'
import { ceYearOf } from '#app/domain/hours/ledger.server.ts'
import { hoursOverview, toLedgerRows } from '#app/domain/hours/overview.server.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import { cachedPolicies } from '#app/domain/policy/cache.server.ts'
import { nameOf, regionName, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import type { HrActor } from '#app/domain/shared/scope.ts'
import { formatDate, formatHours, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { randomToken } from '#app/lib/crypto.server.ts'
import { getDb } from '#app/lib/db.server.ts'

import { findingHref } from './integrity-forms.ts'

// URL /hr/people/:personId; the trailing underscore keeps it out of the search page's layout.
export const meta = pageTitle('hrPerson.title')

/** The person, if the officer may see them: unknown → 404, outside the scope → 403. */
async function personOr404(hr: HrActor, raw: string | undefined) {
  if (!raw || !/^[1-9]\d{0,17}$/.test(raw)) throw new Response('Not Found', { status: 404 })
  const access = await personForHr(getDb(), hr, Number(raw))
  if (!access.ok)
    throw access.code === 'not_found' ? new Response('Not Found', { status: 404 }) : new Response('Forbidden', { status: 403 })
  return access.person
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const person = await personOr404(hr, params.personId)
  const db = getDb()
  const current = ceYearOf(new Date())
  const asked = Number(new URL(request.url).searchParams.get('year') ?? current)
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= current ? asked : current
  const [o, policies] = await Promise.all([hoursOverview(db, person.id, year), cachedPolicies(db)])
  // Looking at someone's record is itself recorded (the search page says so).
  await audit(db, { actorAccountId: hr.accountId, action: 'hr.person.view', targetType: 'person', targetId: person.id, detail: { year } })
  return {
    person,
    year,
    currentYear: current,
    years: o.years.map((y) => ({ year: y.year, met: y.met, total: y.earned.total, required: y.required.total })),
    selected: o.selected,
    policyVersion: o.policyVersion,
    adjustYears: [...policies.keys()].filter((y) => y <= current).sort((a, b) => b - a),
    // A fresh value per rendered form: submitting the same form twice credits once.
    nonce: randomToken(16),
    entries: toLedgerRows(o.entries),
  }
}

type ActionData =
  | { intent: 'adjust'; ok: true; created: boolean; result: SubmissionResult }
  | { intent: 'reverse'; ok: true; entryId: number }
  | { intent: 'adjust'; ok: false; result: SubmissionResult }
  | { intent: 'reverse'; ok: false; entryId: number | null; result: SubmissionResult }

function refusal(code: 'not_found' | 'forbidden' | 'own_ledger'): never {
  throw code === 'not_found' ? new Response('Not Found', { status: 404 }) : new Response('Forbidden', { status: 403 })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const hr = await requireHr(request)
  const person = await personOr404(hr, params.personId)
  if (person.self) refusal('own_ledger')
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: PersonLedgerActionSchema, disableAutoCoercion: true })
  const db = getDb()
  if (formData.get('intent') === 'reverse') {
    // Which row's form to show the errors on.
    const rawId = formData.get('entryId')
    const entryId = typeof rawId === 'string' && /^\d+$/.test(rawId) ? Number(rawId) : null
    if (submission.status !== 'success' || submission.value.intent !== 'reverse')
      return data<ActionData>({ intent: 'reverse', ok: false, entryId, result: submission.reply() }, { status: 400 })
    const { entryId: id, reason } = submission.value
    // A reversal cannot be undone: without the confirmation step's field nothing is written.
    if (!isConfirmed(formData))
      return data<ActionData>(
        { intent: 'reverse', ok: false, entryId, result: submission.reply({ formErrors: ['err.confirm'] }) },
        { status: 400 },
      )
    const result = await reverseForHr(db, hr, { personId: person.id, entryId: id, reason })
    if (result.ok) return { intent: 'reverse', ok: true, entryId: id } satisfies ActionData
    if (isRefusal(result.code)) refusal(result.code)
    if (result.code === 'entry_not_found') throw new Response('Not Found', { status: 404 })
    const key = result.code === 'already_reversed' ? 'err.reverse.already' : 'err.reverse.reversal'
    return data<ActionData>({ intent: 'reverse', ok: false, entryId, result: submission.reply({ formErrors: [key] }) }, { status: 409 })
  }
  // Anything else is the adjustment form's (a missing intent is refused there).
  if (submission.status !== 'success' || submission.value.intent !== 'adjust')
    return data<ActionData>({ intent: 'adjust', ok: false, result: submission.reply() }, { status: 400 })
  const result = await addAdjustment(db, hr, { personId: person.id, ...submission.value })
  if (!result.ok) {
    if (result.code !== 'invalid_year') refusal(result.code)
    return data<ActionData>(
      { intent: 'adjust', ok: false, result: submission.reply({ fieldErrors: { year: ['err.adjust.year'] } }) },
      { status: 400 },
    )
  }
  return { intent: 'adjust', ok: true, created: result.created, result: submission.reply({ resetForm: true }) } satisfies ActionData
}

export default function HrPerson() {
  const d = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const reverseFailed = actionData?.intent === 'reverse' && !actionData.ok ? actionData : undefined
  const reverseError = useErrorText(reverseFailed?.result.error?.[''] ?? undefined)
  const [adjustForm, adjustFields] = useForm<z.input<typeof PersonLedgerActionSchema>>({
    id: 'adjust',
    lastResult: actionData ? (actionData.intent === 'adjust' ? actionData.result : ANSWERED_ELSEWHERE) : undefined,
    defaultValue: { year: d.adjustYears.includes(d.year) ? String(d.year) : undefined },
  })
  const p = d.person
  const s = d.selected
  // A render function, not a component: defined per render, a component would remount each time.
  const reverseCell = (e: LedgerRowView) =>
    e.sourceKind === 'reversal' || e.reversedBy ? (
      '—'
    ) : (
      <div className="row-actions">
        <ReverseForm
          entry={e}
          lastResult={actionData ? (reverseFailed?.entryId === e.id ? reverseFailed.result : ANSWERED_ELSEWHERE) : undefined}
          busy={busy}
        />
        <Link
          to={findingHref({ kind: 'entry', id: e.id })}
          aria-label={t('integrityHr.linkLabel', { what: `${formatDate(lang, e.occurredAt, 'date')} · ${formatHours(e.hours)}` })}
        >
          {t('integrityHr.link')}
        </Link>
      </div>
    )

  return (
    <>
      <p className="small">
        <Link to="/hr/people">← {t('hrPeople.title')}</Link>
      </p>
      <h1>
        {p.name} · {t('hrPerson.title')}
      </h1>
      <section className="panel" aria-labelledby="who">
        <h2 id="who" className="sr-only">
          {t('account.profile')}
        </h2>
        <dl className="facts">
          <div>
            <dt>{t('table.idNumber')}</dt>
            <dd className="mono">{p.idNumberMasked}</dd>
          </div>
          <div>
            <dt>{t('field.employer')}</dt>
            <dd>{p.employer ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('field.region')}</dt>
            <dd>{regionName(p.region_code, lang) || '—'}</dd>
          </div>
          <div>
            <dt>{t('field.titleLevel')}</dt>
            <dd>
              {p.title_series ? nameOf(TITLE_SERIES, p.title_series, lang) : '—'} ·{' '}
              {p.title_level ? nameOf(TITLE_LEVELS, p.title_level, lang) : '—'}
              {p.title_year ? ` (${p.title_year})` : ''}
            </dd>
          </div>
        </dl>
      </section>

      {actionData?.ok ? (
        <Notice>
          {actionData.intent === 'adjust'
            ? t(actionData.created ? 'hrPerson.adjusted' : 'hrPerson.adjustedAlready')
            : t('hrPerson.reversed')}
        </Notice>
      ) : null}
      {reverseError ? <FormAlert>{reverseError}</FormAlert> : null}

      <YearPicker id="view-year" years={d.years.map((y) => y.year)} value={d.year} />

      <section className="panel" aria-labelledby="year-title">
        <h2 id="year-title">
          {t('hours.yearLabel', { year: d.year })} {s ? <MetBadge met={s.met} /> : null}
        </h2>
        {s ? (
          <>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('hours.col.category')}</th>
                    <th scope="col">{t('hrPerson.col.counted')}</th>
                    <th scope="col">{t('hrPerson.col.required')}</th>
                    <th scope="col">{t('hrPerson.col.shortfall')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(['total', 'professional', 'public'] as const).map((k) => (
                    <tr key={k}>
                      <th scope="row">{t(`hours.${k}`)}</th>
                      <td className="num">{s.earned[k]}</td>
                      <td className="num">{s.required[k]}</td>
                      <td className="num">{s.shortfall[k]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="muted small">{t('hours.policy', { version: d.policyVersion ?? '' })}</p>
          </>
        ) : (
          <p className="muted">{t('hours.noPolicy')}</p>
        )}
      </section>

      <section className="panel" aria-labelledby="records-title">
        <h2 id="records-title">
          {t('hours.records')} · {t('hours.yearLabel', { year: d.year })}
        </h2>
        <LedgerTable entries={d.entries} actions={p.self ? undefined : { header: t('table.actions'), cell: reverseCell }} />
      </section>

      {p.self ? (
        <p className="muted">{t('hrPerson.self')}</p>
      ) : (
        <section className="panel form-page" aria-labelledby="adjust-title">
          <h2 id="adjust-title">{t('hrPerson.adjust')}</h2>
          <p className="muted small">{t('hrPerson.adjust.lead')}</p>
          {adjustForm.status === 'error' ? <FormAlert>{t('err.form')}</FormAlert> : null}
          <Form
            method="post"
            className="stack"
            key={actionData?.intent === 'adjust' && actionData.ok ? d.nonce : 'adjust'}
            {...getFormProps(adjustForm)}
          >
            <input type="hidden" name="nonce" value={d.nonce} />
            <SelectField
              meta={adjustFields.year}
              label={t('hours.year')}
              required
              placeholder={t('field.choose')}
              options={d.adjustYears.map((y) => ({ value: String(y), label: t('hours.yearLabel', { year: y }) }))}
            />
            <SelectField
              meta={adjustFields.category}
              label={t('hours.col.category')}
              required
              placeholder={t('field.choose')}
              options={categoryOptions(t)}
            />
            <TextField
              meta={adjustFields.hours}
              label={t('hours.col.hours')}
              hint={t('hrPerson.hours.hint')}
              required
              maxLength={6}
              autoComplete="off"
            />
            <TextField meta={adjustFields.reason} label={t('hrPerson.reason')} required maxLength={500} autoComplete="off" />
            <button type="submit" name="intent" value="adjust" className="button" disabled={busy}>
              {t('hrPerson.adjustSubmit')}
            </button>
          </Form>
        </section>
      )}
    </>
  )
}

/** One ledger entry's reversal, with its reason: asks first; open again when the reason was refused. */
function ReverseForm({ entry, lastResult, busy }: { entry: LedgerRowView; lastResult: SubmissionResult | undefined; busy: boolean }) {
  const t = useT()
  const lang = useLang()
  const [form, fields] = useForm<z.input<typeof PersonLedgerActionSchema>>({ id: `reverse-${entry.id}`, lastResult })
  const hours = formatHours(entry.hours)
  return (
    <Confirm
      label={t('hrPerson.reverse')}
      triggerLabel={t('hrPerson.reverseLabel', { date: formatDate(lang, entry.occurredAt, 'date'), hours })}
      title={t('hrPerson.reverse.title')}
      body={<p>{t('hrPerson.reverse.body', { hours })}</p>}
      confirmLabel={t('hrPerson.reverseSubmit')}
      intent="reverse"
      fields={{ entryId: entry.id }}
      formProps={getFormProps(form)}
      defaultOpen={Boolean(fields.reason.errors)}
      busy={busy}
    >
      <TextField meta={fields.reason} label={t('hrPerson.reason')} required maxLength={500} />
    </Confirm>
  )
}

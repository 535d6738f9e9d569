import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'

import { requireBaseStaff } from '#app/auth/auth.server.ts'
import { FormAlert, Notice, useErrorText } from '#app/components/form.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { finaliseAttendance, type FinaliseOutcome, hostsSeminar, seminarResults } from '#app/domain/seminars/attendance.server.ts'
import { formatDate, formatHours, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import { publicOrigin } from '#app/lib/origin.server.ts'

// URL /base/seminars/:seminarId/results: a hosted seminar's outcome per participant (blocks
// attended, hours credited, completion, certificate) and finalising attendance into hours.
export const meta = pageTitle('seminarResults.title')

const notFound = () => new Response('Not Found', { status: 404 })

function seminarIdOf(params: { seminarId?: string }): number {
  if (!/^\d{1,12}$/.test(params.seminarId ?? '')) throw notFound()
  return Number(params.seminarId)
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireBaseStaff(request)
  // Scoped by the staff member's base: another base's seminar does not exist here.
  const r = await seminarResults(getDb(), seminarIdOf(params), user.baseId)
  if (!r) throw notFound()
  const s = r.seminar
  return {
    seminar: {
      id: s.id,
      title: s.title,
      startDate: s.startDate,
      endDate: s.endDate,
      revision: s.revision,
      blocksTotal: s.blocksTotal,
      finalisedAt: s.finalisedAt?.toISOString() ?? null,
      lastBlockEndsAt: s.lastBlockEndsAt?.toISOString() ?? null,
      over: s.lastBlockEndsAt !== null && s.lastBlockEndsAt <= new Date(),
      changedSinceFinalised: s.changedSinceFinalised,
    },
    participants: r.participants,
  }
}

const FinaliseSchema = z.object({ intent: z.literal('finalise') })

type ActionData = { result: SubmissionResult; done?: FinaliseOutcome }

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireBaseStaff(request)
  const seminarId = seminarIdOf(params)
  const db = getDb()
  if (!(await hostsSeminar(db, user.baseId, seminarId))) throw notFound()
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: FinaliseSchema, disableAutoCoercion: true })
  if (submission.status !== 'success' || !isConfirmed(formData))
    return data<ActionData>({ result: submission.reply({ formErrors: ['err.confirm'] }) }, { status: 400 })
  // The completion certificates print the verification URL: the configured public address.
  const baseUrl = publicOrigin(new URL(request.url).origin, getEnv().XUESHI_PUBLIC_URL)
  if (!baseUrl) throw new Response('Unknown host: set XUESHI_PUBLIC_URL', { status: 400 })
  const r = await finaliseAttendance(db, { accountId: user.accountId, baseId: user.baseId }, seminarId, new Date(), { baseUrl })
  if (!r.ok) {
    if (r.code === 'not_found' || r.code === 'not_host') throw notFound()
    return data<ActionData>({ result: submission.reply({ formErrors: [`seminarResults.code.${r.code}`] }) }, { status: 409 })
  }
  const { ok: _ok, ...done } = r
  return data<ActionData>({ result: submission.reply(), done })
}

const CERT_BADGE = { pending: 'badge', ready: 'badge badge-designated', failed: 'badge badge-revoked' } as const

export default function SeminarResultsPage() {
  const { seminar: s, participants } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const [form] = useForm({ id: 'finalise', lastResult: actionData?.result })
  const formError = useErrorText(form.errors)
  type Row = (typeof participants)[number]
  const columns: Column<Row>[] = [
    {
      key: 'name',
      header: t('seminarResults.col.name'),
      rowHeader: true,
      cell: (p) => (
        <>
          {p.name}
          <div className="small muted mono">{p.idNumberMasked}</div>
        </>
      ),
    },
    {
      key: 'attended',
      header: t('seminarResults.col.attended'),
      nowrap: true,
      cell: (p) => t('seminarResults.attendedOf', { attended: p.attendedNow, total: s.blocksTotal }),
    },
    {
      key: 'hours',
      header: t('seminarResults.col.hours'),
      nowrap: true,
      cell: (p) => (p.result ? formatHours(p.result.hours) : t('seminarResults.pending')),
    },
    {
      key: 'completed',
      header: t('seminarResults.col.completed'),
      cell: (p) => (p.result ? (p.result.completed ? t('seminarResults.yes') : t('seminarResults.no')) : t('seminarResults.pending')),
    },
    {
      key: 'certificate',
      header: t('seminarResults.col.certificate'),
      cell: (p) =>
        p.certificate ? (
          <span className={CERT_BADGE[p.certificate.status]}>{t(`seminarResults.certStatus.${p.certificate.status}`)}</span>
        ) : (
          t('seminarResults.noCertificate')
        ),
    },
  ]
  const finalised = s.finalisedAt !== null
  return (
    <>
      <p className="small">
        <Link to={`/base/seminars/${s.id}`}>← {s.title}</Link>
      </p>
      <h1>{t('seminarResults.title')}</h1>
      <p className="lead">{t('seminarResults.lead')}</p>
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      {actionData?.done ? <Notice>{t('seminarResults.done', actionData.done)}</Notice> : null}
      {!actionData?.done && s.changedSinceFinalised ? (
        <div className="alert alert-error" role="status">
          {t('seminarResults.changed')}
        </div>
      ) : null}

      <section className="panel" aria-labelledby="results-facts">
        <h2 id="results-facts">{s.title}</h2>
        <dl className="facts">
          <div>
            <dt>{t('seminarResults.dates')}</dt>
            <dd>
              {formatDate(lang, s.startDate, 'day')} – {formatDate(lang, s.endDate, 'day')}
            </dd>
          </div>
          <div>
            <dt>{t('seminarResults.blocksTotal')}</dt>
            <dd>{s.blocksTotal}</dd>
          </div>
          <div>
            <dt>{t('seminarResults.finalisedAt')}</dt>
            <dd>
              {s.finalisedAt
                ? `${formatDate(lang, s.finalisedAt, 'dateTime')} · ${t('seminarResults.revision', { n: s.revision })}`
                : t('seminarResults.notFinalised')}
            </dd>
          </div>
        </dl>
        {s.over ? (
          <Confirm
            label={finalised ? t('seminarResults.finaliseAgain') : t('seminarResults.finalise')}
            title={t('seminarResults.confirmTitle')}
            body={<p>{t('seminarResults.confirmBody')}</p>}
            confirmLabel={t('seminarResults.confirmLabel')}
            intent="finalise"
            formProps={getFormProps(form)}
            busy={busy}
            variant="button"
            tone="primary"
          />
        ) : s.lastBlockEndsAt ? (
          <p className="muted">{t('seminarResults.notOver', { at: formatDate(lang, s.lastBlockEndsAt, 'dateTime') })}</p>
        ) : (
          <p className="muted">{t('seminarResults.code.no_blocks')}</p>
        )}
      </section>

      <section className="panel" aria-labelledby="results-participants">
        <h2 id="results-participants">{t('seminarResults.participants')}</h2>
        {participants.length === 0 ? (
          <p className="muted">{t('seminarResults.none')}</p>
        ) : (
          <DataTable columns={columns} rows={participants} rowKey={(p) => p.personId} caption={t('seminarResults.participants')} />
        )}
      </section>
    </>
  )
}

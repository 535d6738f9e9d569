import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { requireUser } from '#app/auth/auth.server.ts'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import { formatCode, verifyPath } from '#app/domain/hours/certificates/certificate.ts'
import { myResult } from '#app/domain/seminars/attendance.server.ts'
import { registrationsOfPerson } from '#app/domain/seminars/plan.server.ts'
import { surveyState } from '#app/domain/seminars/survey.server.ts'
import { formatDate, formatHours, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /account/seminars: the signed-in person's seminar registrations, with status, place in the
// waiting line and an offer's deadline; each links to the seminar's page, where the buttons are.
// Once a seminar has started: the survey link while the survey is open to the person; once the host finalised attendance: which blocks
// counted, the hours credited and the completion certificate (结业证书).
export const meta = pageTitle('seminarsMine.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const db = getDb()
  const rows = await registrationsOfPerson(db, user.personId)
  const today = chinaDay()
  const started = (r: (typeof rows)[number]) => r.status === 'confirmed' && r.start_date <= today
  // A person has a handful of seminars a year: one small query each for those that started.
  const results = new Map(
    await Promise.all(rows.filter(started).map(async (r) => [r.seminar_id, await myResult(db, user.personId, r.seminar_id)] as const)),
  )
  const now = new Date()
  const surveys = new Map(
    await Promise.all(
      rows.filter(started).map(async (r) => [r.seminar_id, await surveyState(db, user.personId, r.seminar_id, now)] as const),
    ),
  )
  return {
    registrations: rows.map((r) => ({
      id: r.id,
      seminarId: r.seminar_id,
      title: r.title,
      level: r.level,
      startDate: r.start_date,
      endDate: r.end_date,
      venue: r.venue,
      status: r.status,
      position: r.position,
      offerExpiresAt: r.offer_expires_at?.toISOString() ?? null,
      registeredAt: r.created_at.toISOString(),
      started: started(r),
      ended: r.end_date < today,
      result: resultView(results.get(r.seminar_id) ?? null),
      survey: surveys.get(r.seminar_id) ?? null,
    })),
  }
}

function resultView(r: Awaited<ReturnType<typeof myResult>>) {
  if (!r) return null
  const c = r.certificate
  return {
    blocks: r.blocks.map((b) => ({ id: b.id, day: b.day, part: b.part, attended: b.attended })),
    hours: r.hours,
    blocksAttended: r.blocksAttended,
    blocksTotal: r.blocksTotal,
    completed: r.completed,
    certificate: c ? { id: c.id, code: formatCode(c.code), status: c.status, verifyPath: verifyPath(c.code) } : null,
  }
}

type ResultView = NonNullable<ReturnType<typeof resultView>>

/** Which blocks counted, the hours, completion and the certificate's links. */
function SeminarResult({ title, result: r }: { title: string; result: ResultView }) {
  const t = useT()
  const lang = useLang()
  const c = r.certificate
  return (
    <div className="small">
      <p>{t('seminarResults.mine.hours', { hours: formatHours(r.hours), attended: r.blocksAttended, total: r.blocksTotal })}</p>
      <ul aria-label={t('seminarResults.mine.blocks')}>
        {r.blocks.map((b) => (
          <li key={b.id}>
            {t(b.attended ? 'seminarResults.mine.blockAttended' : 'seminarResults.mine.blockMissed', {
              day: formatDate(lang, b.day, 'day'),
              part: t(`seminarResults.mine.${b.part}`),
            })}
          </li>
        ))}
      </ul>
      <p>{r.completed ? t('seminarResults.mine.completed') : t('seminarResults.mine.notCompleted')}</p>
      {c ? (
        <p>
          {c.status === 'ready' ? (
            <>
              <a href={`/certificates/${c.id}.pdf`} aria-label={t('seminarResults.mine.downloadLabel', { title })}>
                {t('seminarResults.mine.download')}
              </a>
              {' · '}
            </>
          ) : null}
          {c.status === 'pending' ? <>{t('seminarResults.mine.certPending')} </> : null}
          {c.status === 'failed' ? t('seminarResults.mine.certFailed') : <Link to={c.verifyPath}>{t('seminarResults.mine.verify')}</Link>}
        </p>
      ) : null}
    </div>
  )
}

export default function MySeminars() {
  const { registrations } = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  type Row = (typeof registrations)[number]
  const columns: Column<Row>[] = [
    {
      key: 'title',
      header: t('seminars.col.title'),
      rowHeader: true,
      cell: (r) => (
        <>
          <Link to={`/seminars/${r.seminarId}`}>{r.title}</Link> <span className="small muted">{t(`seminars.level.${r.level}`)}</span>
          <div className="small muted">{r.venue}</div>
        </>
      ),
    },
    {
      key: 'dates',
      header: t('seminars.col.dates'),
      cell: (r) => `${formatDate(lang, r.startDate, 'day')} – ${formatDate(lang, r.endDate, 'day')}`,
    },
    {
      key: 'status',
      header: t('seminarsMine.col.status'),
      cell: (r) =>
        t(`seminars.reg.${r.status}`, {
          position: r.position ?? '',
          date: r.offerExpiresAt ? formatDate(lang, r.offerExpiresAt, 'dateTime') : '',
        }),
    },
    {
      key: 'result',
      header: t('seminarResults.mine.col.result'),
      cell: (r) =>
        r.started ? (
          <>
            {r.result ? <SeminarResult title={r.title} result={r.result} /> : null}
            {!r.result && r.ended ? <p className="small muted">{t('seminarResults.mine.notFinalised')}</p> : null}
            {r.survey === 'open' ? <Link to={`/seminars/${r.seminarId}/survey`}>{t('seminarResults.mine.survey')}</Link> : null}
            {r.survey === 'answered' ? <p className="small muted">{t('seminarResults.mine.surveyAnswered')}</p> : null}
          </>
        ) : (
          '—'
        ),
    },
    {
      key: 'registeredAt',
      header: t('seminarsMine.col.registeredAt'),
      nowrap: true,
      cell: (r) => formatDate(lang, r.registeredAt, 'date'),
    },
  ]
  return (
    <>
      <p className="small">
        <Link to="/account">← {t('nav.account')}</Link>
      </p>
      <h1>{t('seminarsMine.title')}</h1>
      <p className="lead">{t('seminarsMine.lead')}</p>
      {registrations.length === 0 ? (
        <p className="muted">{t('seminarsMine.none')}</p>
      ) : (
        <DataTable columns={columns} rows={registrations} rowKey={(r) => r.id} caption={t('seminarsMine.title')} />
      )}
      <p>
        <Link to="/seminars">{t('seminarsMine.browse')} →</Link>
      </p>
    </>
  )
}

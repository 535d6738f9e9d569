import { data, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { requireRole } from '#app/auth/auth.server.ts'
import { scan } from '#app/domain/seminars/checkin.server.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /c/:code: a venue check-in code, opened by the participant's phone camera. A camera opens
// a URL with GET, so the loader is what signs in or out: that is the design (the code is short-
// lived, MAC-protected, single-use per person, and every scan is stored with its outcome).
export const meta = pageTitle('checkin.title')

export async function loader({ request, params }: LoaderFunctionArgs) {
  // Signed out → the login page, which comes back here with the same code.
  const user = await requireRole(request, ['learner'])
  const r = await scan(getDb(), { personId: user.personId, accountId: user.accountId }, params.code ?? '', new Date())
  const context =
    r.block && r.seminar
      ? {
          seminar: r.seminar,
          block: { day: r.block.day, part: r.block.part, startsAt: r.block.startsAt.toISOString(), endsAt: r.block.endsAt.toISOString() },
          direction: r.direction ?? null,
        }
      : null
  return r.ok
    ? { ok: true as const, code: null, ...context! }
    : data({ ok: false as const, code: r.code, ...(context ?? { seminar: null, block: null, direction: null }) }, { status: 400 })
}

export default function Checkin() {
  const d = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  const block = d.block
    ? t('seminarHost.block', { day: formatDate(lang, d.block.day, 'day'), part: t(`seminarHost.part.${d.block.part}`) })
    : null
  return (
    <div className="stack" style={{ textAlign: 'center' }}>
      {d.ok ? (
        <>
          <p style={{ fontSize: '4rem', margin: 0 }} aria-hidden="true">
            ✓
          </p>
          <h1>{t(d.direction === 'in' ? 'checkin.done.in' : 'checkin.done.out')}</h1>
          <p style={{ fontSize: '1.5rem' }}>
            {d.seminar.title} · {block}
          </p>
          {d.direction === 'in' ? <p>{t('checkin.done.in.next')}</p> : <p>{t('checkin.done.out.next')}</p>}
        </>
      ) : (
        <>
          <p style={{ fontSize: '4rem', margin: 0 }} aria-hidden="true">
            {d.code === 'replayed' || d.code === 'already' ? 'ℹ' : '✗'}
          </p>
          <h1>{t(`checkin.code.${d.code}`)}</h1>
          {d.seminar && block ? (
            <p style={{ fontSize: '1.5rem' }}>
              {d.seminar.title} · {block} · {t(d.direction === 'in' ? 'checkin.dir.in' : 'checkin.dir.out')}
            </p>
          ) : null}
          <p>{t(`checkin.todo.${d.code}`)}</p>
        </>
      )}
      <p className="small">
        <Link to="/account/seminars">{t('checkin.mySeminars')}</Link>
      </p>
    </div>
  )
}

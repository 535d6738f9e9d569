import { type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useRevalidator } from '@remix-run/react'
import QRCode from 'qrcode'
import { useEffect, useRef, useState } from 'react'

import { requireBaseStaff } from '#app/auth/auth.server.ts'
import { DirectionSchema } from '#app/domain/seminars/checkin.schema.ts'
import { hostBlock, venueCode } from '#app/domain/seminars/checkin.server.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /base/seminars/:seminarId/blocks/:blockId/qr?dir=in|out: the venue screen. A QR code of the
// current check-in URL, rotating: the page reloads its data when the next code is due.
export const meta = pageTitle('seminarHost.qr.title')

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireBaseStaff(request)
  if (!/^\d{1,12}$/.test(params.seminarId ?? '') || !/^\d{1,12}$/.test(params.blockId ?? ''))
    throw new Response('Not Found', { status: 404 })
  const url = new URL(request.url)
  const dir = DirectionSchema.safeParse(url.searchParams.get('dir') ?? 'in')
  if (!dir.success) throw new Response('Bad Request', { status: 400 })
  // Scoped by the staff member's base: another base's block does not exist here.
  const block = await hostBlock(getDb(), user.baseId, Number(params.seminarId), Number(params.blockId))
  if (!block) throw new Response('Not Found', { status: 404 })
  const now = new Date()
  const code = venueCode({ id: block.id, seminarStartDate: block.start_date }, dir.data, now, url.origin)
  const svg = await QRCode.toString(code.url, { type: 'svg', margin: 1 })
  return {
    seminar: { id: block.seminar_id, title: block.title },
    block: { id: block.id, day: block.day, part: block.part, startsAt: block.starts_at.toISOString(), endsAt: block.ends_at.toISOString() },
    direction: dir.data,
    svg,
    url: code.url,
    now: now.toISOString(),
    nextRotationAt: code.nextRotationAt.toISOString(),
    signedIn: block.signedIn,
    signedOut: block.signedOut,
  }
}

/** Milliseconds until the next code, measured on the server's clock (the screen's may be off). */
const untilNext = (d: { now: string; nextRotationAt: string }) => Math.max(0, Date.parse(d.nextRotationAt) - Date.parse(d.now))

export default function VenueQr() {
  const d = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  const revalidator = useRevalidator()
  // The latest revalidator, read when the timer fires, so a re-render never restarts the timer.
  const revalidatorRef = useRef(revalidator)
  revalidatorRef.current = revalidator
  const [left, setLeft] = useState(() => Math.ceil(untilNext(d) / 1000))

  // A new code when this one rotates out; the countdown ticks until then.
  useEffect(() => {
    const loadedAt = Date.now()
    const wait = untilNext(d)
    setLeft(Math.ceil(wait / 1000))
    const tick = setInterval(() => setLeft(Math.max(0, Math.ceil((wait - (Date.now() - loadedAt)) / 1000))), 1000)
    const next = setTimeout(() => revalidatorRef.current.revalidate(), wait + 250)
    return () => {
      clearInterval(tick)
      clearTimeout(next)
    }
  }, [d])

  const block = t('seminarHost.block', { day: formatDate(lang, d.block.day, 'day'), part: t(`seminarHost.part.${d.block.part}`) })
  const time = (s: string) => formatDate(lang, s, 'time')
  return (
    <div className="stack" style={{ textAlign: 'center', minHeight: '90vh', justifyContent: 'center' }}>
      <p className="small">
        <Link to={`/base/seminars/${d.seminar.id}`}>← {d.seminar.title}</Link>
      </p>
      <h1 style={{ fontSize: '2.5rem', margin: 0 }}>{t(d.direction === 'in' ? 'seminarHost.qr.in' : 'seminarHost.qr.out')}</h1>
      <p style={{ fontSize: '1.75rem', margin: 0 }}>
        {d.seminar.title} · {block} {time(d.block.startsAt)}–{time(d.block.endsAt)}
      </p>
      <div
        role="img"
        aria-label={t('seminarHost.qr.alt')}
        // What the code says, for tests that play the participant's camera.
        data-code-url={d.url}
        style={{ width: 'min(70vh, 90vw)', margin: '0 auto', background: '#fff' }}
        // The SVG is made on the server by the qrcode package from our own URL.
        dangerouslySetInnerHTML={{ __html: d.svg }}
      />
      <p style={{ fontSize: '1.5rem', margin: 0 }}>{t('seminarHost.qr.next', { seconds: left })}</p>
      <p style={{ fontSize: '1.5rem', margin: 0 }}>
        {d.direction === 'in' ? t('seminarHost.qr.countIn', { n: d.signedIn }) : t('seminarHost.qr.countOut', { n: d.signedOut })}
      </p>
      <p className="small muted">{t('seminarHost.qr.hint')}</p>
    </div>
  )
}

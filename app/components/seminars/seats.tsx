import { PROVINCES } from '#app/domain/seminars/provinces.ts'
import type { PublicSeats } from '#app/domain/seminars/quotas.ts'
import { nameOf, REGIONS } from '#app/domain/shared/reference.ts'
import { formatDate, type Lang, type T } from '#app/i18n/index.ts'

/** A quota's scope as people read it: 'province:44' → 广东, 'region:220100' → 长春市. */
export function scopeName(scope: string, lang: Lang): string {
  const [kind, code] = scope.split(':')
  if (kind === 'province') return nameOf(PROVINCES, code, lang)
  if (kind === 'region') return nameOf(REGIONS, code, lang)
  return scope
}

type Seats = Omit<PublicSeats, 'scoped'> & { scoped: (Omit<PublicSeats['scoped'][number], 'releaseAt'> & { releaseAt: string | null })[] }

/** Seats left per quota, as shown publicly (released quotas are inside the open pool). */
export function SeatList({ seats, t, lang }: { seats: Seats; t: T; lang: Lang }) {
  return (
    <ul>
      <li>{t('seminars.seats.total', seats.total)}</li>
      <li>{t('seminars.seats.open', seats.open)}</li>
      {seats.scoped.map((q) => (
        <li key={q.scope}>
          {t('seminars.seats.scoped', { name: scopeName(q.scope, lang), left: q.left, size: q.size })}
          {q.releaseAt ? (
            <span className="small muted"> · {t('seminars.seats.release', { date: formatDate(lang, q.releaseAt, 'date') })}</span>
          ) : null}
        </li>
      ))}
    </ul>
  )
}

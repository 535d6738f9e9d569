import { toCents } from '#app/domain/shared/decimal.ts'

type YearBar = { year: number; total: string; required: string; met: boolean }

/** Bars of counted hours per year against the requirement line. Values are also in the table beside it. */
export function HoursChart({ years, label }: { years: YearBar[]; label: string }) {
  const bars = [...years].sort((a, b) => a.year - b.year)
  const max = Math.max(...bars.map((b) => toCents(b.total)), ...bars.map((b) => toCents(b.required)), 1) * 1.15
  const width = 560
  const height = 220
  const pad = { left: 36, right: 12, top: 12, bottom: 28 }
  const plotW = width - pad.left - pad.right
  const plotH = height - pad.top - pad.bottom
  const slot = plotW / Math.max(bars.length, 1)
  const y = (cents: number) => pad.top + plotH - (cents / max) * plotH
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} className="hours-chart">
      <line x1={pad.left} y1={pad.top + plotH} x2={width - pad.right} y2={pad.top + plotH} stroke="#8c959f" />
      {bars.map((b, i) => {
        const cents = toCents(b.total)
        const x = pad.left + i * slot + slot * 0.2
        const w = slot * 0.6
        const req = toCents(b.required)
        return (
          <g key={b.year}>
            <rect
              x={x}
              y={y(cents)}
              width={w}
              height={Math.max(0, pad.top + plotH - y(cents))}
              fill={b.met ? '#1a7f4b' : '#b45309'}
              rx="3"
            />
            <line
              x1={x - slot * 0.1}
              x2={x + w + slot * 0.1}
              y1={y(req)}
              y2={y(req)}
              stroke="#9b1c1c"
              strokeDasharray="4 3"
              strokeWidth="2"
            />
            <text x={x + w / 2} y={y(cents) - 4} textAnchor="middle" fontSize="12" fill="#1f2328">
              {b.total}
            </text>
            <text x={x + w / 2} y={height - 8} textAnchor="middle" fontSize="12" fill="#57606a">
              {b.year}
            </text>
          </g>
        )
      })}
    </svg>
  )
}

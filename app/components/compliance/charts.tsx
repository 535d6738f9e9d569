import { Bar, BarChart, CartesianGrid, LabelList, Legend, Line, LineChart, XAxis, YAxis } from 'recharts'

/**
 * The dashboard's charts (recharts 2: it renders the SVG on the server, so the figures are there
 * before any script runs; ADR 0025). Fixed drawing sizes with a viewBox, scaled to the column by
 * CSS (`.compliance-chart svg`). Every chart has the same figures in a table beside it.
 */
const MET = '#1a7f4b'
const SHORT = '#b45309'

export type GroupBar = { name: string; met: number; short: number }

export function MetShortBars({ rows, labels, title }: { rows: GroupBar[]; labels: { met: string; short: string }; title: string }) {
  const height = 40 + rows.length * 34
  return (
    <figure className="compliance-chart" aria-label={title}>
      <BarChart width={640} height={height} data={rows} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} fontSize={12} />
        <YAxis type="category" dataKey="name" width={150} fontSize={12} interval={0} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="met" name={labels.met} stackId="a" fill={MET} isAnimationActive={false} />
        <Bar dataKey="short" name={labels.short} stackId="a" fill={SHORT} isAnimationActive={false}>
          <LabelList dataKey="short" position="right" fontSize={11} />
        </Bar>
      </BarChart>
    </figure>
  )
}

export type TrendPoint = { year: number; rate: number }

export function RateTrend({ points, label, title }: { points: TrendPoint[]; label: string; title: string }) {
  return (
    <figure className="compliance-chart" aria-label={title}>
      <LineChart width={640} height={220} data={points} margin={{ top: 16, right: 24, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="year" fontSize={12} />
        <YAxis domain={[0, 100]} unit="%" fontSize={12} />
        <Line type="monotone" dataKey="rate" name={label} stroke={MET} strokeWidth={2} isAnimationActive={false} dot>
          <LabelList dataKey="rate" position="top" fontSize={11} formatter={(v: number) => `${v}%`} />
        </Line>
      </LineChart>
    </figure>
  )
}

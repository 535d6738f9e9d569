import type { ReactNode } from 'react'

/**
 * A table that fits its screen. Wide screens get an ordinary table whose cells wrap (no column
 * pushed off to the right); below 720 px each row becomes a card, every cell preceded by its
 * column's name (`data-label`, shown by CSS), so no column is hidden on a phone. The `main`
 * column (the row's action) comes last in the card, full width, and is never hidden.
 */
export type Column<Row> = {
  key: string
  header: ReactNode
  /** The column's name in the card view (plain text); defaults to `header` when it is a string. */
  label?: string
  cell: (row: Row) => ReactNode
  /** The cell is the row's header (`<th scope="row">`), e.g. the year or the person. */
  rowHeader?: boolean
  /** The row's main action: last in the card, full width. */
  main?: boolean
  /** Numbers align right on wide screens. */
  numeric?: boolean
  /** Short values that must not wrap (dates, codes). */
  nowrap?: boolean
  /** A preferred width on wide screens, e.g. '14rem'. */
  width?: string
}

export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  rowClassName,
  caption,
}: {
  columns: Column<Row>[]
  rows: readonly Row[]
  rowKey: (row: Row) => string | number
  rowClassName?: (row: Row) => string | undefined
  /** A visually hidden caption naming the table for screen readers. */
  caption?: string
}) {
  return (
    <div className="table-wrap data-table-wrap">
      <table className="data-table">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" style={c.width ? { width: c.width } : undefined} className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className={rowClassName?.(row)}>
              {columns.map((c) => {
                const label = c.label ?? (typeof c.header === 'string' ? c.header : undefined)
                const className = [c.main ? 'cell-main' : '', c.numeric ? 'num' : '', c.nowrap ? 'nowrap' : ''].filter(Boolean).join(' ')
                return c.rowHeader ? (
                  <th key={c.key} scope="row" data-label={label} className={className || undefined}>
                    <div className="cell">{c.cell(row)}</div>
                  </th>
                ) : (
                  <td key={c.key} data-label={label} className={className || undefined}>
                    <div className="cell">{c.cell(row)}</div>
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

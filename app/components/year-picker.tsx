import { Form } from '@remix-run/react'

import { useT } from '#app/i18n/index.ts'

/** A GET form choosing the CE year shown (?year=…): submits on change, with a button without JS. */
export function YearPicker({ id, years, value }: { id: string; years: number[]; value: number }) {
  const t = useT()
  return (
    <Form method="get" className="year-picker">
      <label htmlFor={id}>{t('hours.choose')}</label>
      <select id={id} name="year" defaultValue={value} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
        {years.map((y) => (
          <option key={y} value={y}>
            {t('hours.yearLabel', { year: y })}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit" className="button button-secondary">
          {t('hours.show')}
        </button>
      </noscript>
    </Form>
  )
}

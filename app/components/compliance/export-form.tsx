import { Form, useNavigation } from '@remix-run/react'
import { useId } from 'react'

import { FILTER_FIELDS } from '#app/domain/compliance/exports.schema.ts'
import { useT } from '#app/i18n/index.ts'

/** Where an export request is posted (the officer's export list, which shows its progress). */
export const EXPORTS_PATH = '/hr/compliance/exports'

/**
 * "Export this list": the list's filter as hidden fields (copied from its query string), a button
 * per format and, for an officer holding the admin-granted permission, a box asking for full ID
 * numbers. The export is built by the worker; the officer lands on the export list.
 */
export function ExportButtons({
  params,
  allowFullIds = false,
}: {
  params: URLSearchParams | Record<string, string | undefined>
  allowFullIds?: boolean
}) {
  const t = useT()
  const id = useId()
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle' && navigation.formAction === EXPORTS_PATH
  const get = (k: string) => (params instanceof URLSearchParams ? params.get(k) : params[k])
  return (
    <Form method="post" action={EXPORTS_PATH} className="stack" aria-labelledby={`${id}-label`}>
      <span id={`${id}-label`} className="small muted">
        {t('complianceExports.form.label')}
      </span>
      {FILTER_FIELDS.map((k) => {
        const v = get(k)
        return v ? <input key={k} type="hidden" name={k} value={v} /> : null
      })}
      {allowFullIds ? (
        <label className="checkbox">
          <input type="checkbox" name="fullIds" value="on" /> {t('complianceExports.form.fullIds')}
        </label>
      ) : null}
      <div className="inline-actions">
        <button type="submit" name="format" value="xlsx" className="button button-secondary" disabled={busy}>
          {t('complianceExports.form.xlsx')}
        </button>
        <button type="submit" name="format" value="csv" className="button button-secondary" disabled={busy}>
          {t('complianceExports.form.csv')}
        </button>
      </div>
    </Form>
  )
}

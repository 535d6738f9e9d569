import { type FieldMetadata, getInputProps, getSelectProps, getTextareaProps, type SubmissionResult } from '@conform-to/react'
import type { ChangeEvent, ReactNode } from 'react'

import { type Named, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { type Lang, useLang, useT } from '#app/i18n/index.ts'

/**
 * Form fields driven by Conform's field metadata (`fields.x` from `useForm`): ids, `aria-invalid`
 * and `aria-describedby` come from Conform (`getInputProps`), the submitted value from the
 * action's `submission.reply()`. Errors are zod messages, i.e. catalog keys: they are translated
 * here, where they are shown, so one schema serves both languages and the server stays
 * authoritative (no client validation, no schema in the browser).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any form's field, whatever its schema
type Meta = FieldMetadata<any, any, string[]>

type Common = {
  meta: Meta
  label: string
  hint?: string
  required?: boolean
}

/**
 * The `lastResult` of a form when the action answered another form of the same page: it clears
 * the errors an earlier answer left on this one, as a fresh page would.
 */
export const ANSWERED_ELSEWHERE: SubmissionResult = { error: {} }

/** The first error of a field (a catalog key), in the user's language. */
export function useErrorText(errors: string[] | undefined): string | undefined {
  const t = useT()
  const key = errors?.[0]
  return key ? t.issue(key) : undefined
}

function FieldShell({ meta, label, hint, required, error, children }: Common & { error: string | undefined; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={meta.id}>
        {label}
        {required ? (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {children}
      {hint ? (
        <p className="field-hint" id={meta.descriptionId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={meta.errorId} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  )
}

type TextProps = Common & {
  type?: 'text' | 'password' | 'tel' | 'date' | 'time' | 'search'
  autoComplete?: string
  inputMode?: 'numeric' | 'text' | 'tel'
  maxLength?: number
}

export function TextField(props: TextProps) {
  const { meta, hint, required, type = 'text', autoComplete, inputMode, maxLength } = props
  const error = useErrorText(meta.errors)
  // Passwords are never sent back (`hideFields`), so they need no default.
  const { key, ...input } = getInputProps(meta, { type, ariaDescribedBy: hint ? meta.descriptionId : undefined })
  return (
    <FieldShell {...props} error={error}>
      <input key={key} {...input} autoComplete={autoComplete} inputMode={inputMode} maxLength={maxLength} required={required} />
    </FieldShell>
  )
}

/** A multi-line text field (a finding, a reason, a summary). */
export function TextAreaField(props: Common & { rows?: number; maxLength?: number }) {
  const { meta, hint, required, rows = 4, maxLength } = props
  const error = useErrorText(meta.errors)
  const { key, ...textarea } = getTextareaProps(meta, { ariaDescribedBy: hint ? meta.descriptionId : undefined })
  return (
    <FieldShell {...props} error={error}>
      <textarea key={key} {...textarea} rows={rows} maxLength={maxLength} required={required} />
    </FieldShell>
  )
}

/** A select, uncontrolled unless `value` is given (with `onChange`, for a form that reacts to it). */
export function SelectField(
  props: Common & { options: { value: string; label: string }[]; placeholder: string; value?: string; onChange?: (value: string) => void },
) {
  const { meta, hint, required, options, placeholder, value, onChange } = props
  const error = useErrorText(meta.errors)
  const { key, ...select } = getSelectProps(meta, { ariaDescribedBy: hint ? meta.descriptionId : undefined, value: value === undefined })
  const state =
    value === undefined
      ? { defaultValue: select.defaultValue ?? '' }
      : { value, onChange: (e: ChangeEvent<HTMLSelectElement>) => onChange?.(e.target.value) }
  return (
    <FieldShell {...props} error={error}>
      <select key={key} {...select} {...state} required={required}>
        <option value="" disabled>
          {placeholder}
        </option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  )
}

/** A file input (multipart forms): no default value can be sent back. */
export function FileField(props: Common & { accept: string; hint: string }) {
  const { meta, hint, required, accept } = props
  const error = useErrorText(meta.errors)
  const { key, ...input } = getInputProps(meta, { type: 'file', ariaDescribedBy: hint ? meta.descriptionId : undefined })
  return (
    <FieldShell {...props} error={error}>
      <input key={key} {...input} accept={accept} required={required} />
    </FieldShell>
  )
}

export function FormAlert({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-error" role="alert">
      {children}
    </div>
  )
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-success" role="status">
      {children}
    </div>
  )
}

/** A reference list (regions, title series, levels) as select options in the page's language. */
export function namedOptions(list: readonly Named[], lang: Lang): { value: string; label: string }[] {
  return list.map((x) => ({ value: x.code, label: x[lang] }))
}

/** Title series, level and year: the same three fields at registration and on the profile. */
export function TitleFields({ series, level, year }: { series: Meta; level: Meta; year: Meta }) {
  const t = useT()
  const lang = useLang()
  return (
    <>
      <SelectField
        meta={series}
        label={t('field.titleSeries')}
        required
        placeholder={t('field.choose')}
        options={namedOptions(TITLE_SERIES, lang)}
      />
      <SelectField
        meta={level}
        label={t('field.titleLevel')}
        required
        placeholder={t('field.choose')}
        options={namedOptions(TITLE_LEVELS, lang)}
      />
      <TextField meta={year} inputMode="numeric" label={t('field.titleYear')} hint={t('field.titleYear.hint')} maxLength={4} />
    </>
  )
}

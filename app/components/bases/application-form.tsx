import { type FieldMetadata, getFormProps, getInputProps, getTextareaProps, type SubmissionResult, useForm } from '@conform-to/react'
import { Form } from '@remix-run/react'
import type { ReactNode } from 'react'

import { FormAlert, SelectField, TextField, useErrorText } from '#app/components/form.tsx'
import { useT } from '#app/i18n/index.ts'

/** The sections of an application, as the lifecycle names them (HR returns with reasons per section). */
export type Section = 'institution' | 'fields' | 'capacity' | 'faculty' | 'courses' | 'contact' | 'materials'

export type ApplicationFormValues = {
  institutionName: string
  creditCode: string
  regionCode: string
  trainingFields: string[]
  classrooms: string
  seats: string
  onlinePlatform: string
  faculty: string
  courses: string
  contactName: string
  contactPhone: string
  contactEmail: string
}

type Option = { value: string; label: string }
type FieldLabel =
  | 'institutionName'
  | 'creditCode'
  | 'creditCode.hint'
  | 'region'
  | 'trainingFields'
  | 'classrooms'
  | 'seats'
  | 'onlinePlatform'
  | 'faculty'
  | 'faculty.hint'
  | 'courses'
  | 'courses.hint'
  | 'contactName'
  | 'contactPhone'
  | 'contactEmail'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any form's field
type Meta = FieldMetadata<any, any, string[]>

/** A section of the form, with the reviewer's reason beside it when the application was returned. */
export function SectionBox({ section, reason, children }: { section: Section; reason?: string; children: ReactNode }) {
  const t = useT()
  const id = `section-${section}`
  return (
    <fieldset className="panel stack" aria-labelledby={id}>
      <legend id={id}>
        <strong>{t(`base.apply.section.${section}`)}</strong>
      </legend>
      {reason ? (
        <div className="alert alert-error" role="note">
          {t('base.apply.reason', { reason })}
        </div>
      ) : null}
      {children}
    </fieldset>
  )
}

function TextArea({ meta, label, hint, required }: { meta: Meta; label: string; hint: string; required?: boolean }) {
  const error = useErrorText(meta.errors)
  const { key, ...props } = getTextareaProps(meta, { ariaDescribedBy: meta.descriptionId })
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={meta.id}>{label}</label>
      <textarea key={key} {...props} rows={5} required={required} />
      <p className="field-hint" id={meta.descriptionId}>
        {hint}
      </p>
      {error ? (
        <p className="field-error" id={meta.errorId} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  )
}

/**
 * The application's fields in their sections: one plain form (no JavaScript needed), the faculty
 * and course lists typed one per line. `reasons` shows HR's reasons beside each section.
 */
export function ApplicationForm(props: {
  id: string
  lastResult: SubmissionResult | null | undefined
  defaultValue?: ApplicationFormValues
  regions: Option[]
  series: Option[]
  reasons?: Partial<Record<Section, string>>
  submitLabel: string
  busy?: boolean
}) {
  const t = useT()
  const [form, fields] = useForm<ApplicationFormValues>({
    id: props.id,
    lastResult: props.lastResult,
    defaultValue: props.defaultValue,
    shouldRevalidate: 'onSubmit',
  })
  const formError = useErrorText(form.errors)
  const chosen = new Set(fields.trainingFields.value && Array.isArray(fields.trainingFields.value) ? fields.trainingFields.value : [])
  if (typeof fields.trainingFields.value === 'string') chosen.add(fields.trainingFields.value)
  const fieldsError = useErrorText(fields.trainingFields.errors)
  const r = props.reasons ?? {}
  const label = (k: FieldLabel) => t(`base.apply.field.${k}`)
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      {form.errors?.length ? <FormAlert>{formError ?? t('err.form')}</FormAlert> : null}
      <SectionBox section="institution" reason={r.institution}>
        <TextField meta={fields.institutionName} label={label('institutionName')} required maxLength={200} />
        <TextField meta={fields.creditCode} label={label('creditCode')} hint={label('creditCode.hint')} required maxLength={18} />
        <SelectField meta={fields.regionCode} label={label('region')} required placeholder={t('field.choose')} options={props.regions} />
      </SectionBox>
      <SectionBox section="fields" reason={r.fields}>
        <fieldset
          className={`field${fieldsError ? ' field-invalid' : ''}`}
          aria-describedby={fieldsError ? fields.trainingFields.errorId : undefined}
        >
          <legend>{label('trainingFields')}</legend>
          {props.series.map((s) => (
            <label key={s.value} className="checkbox">
              <input type="checkbox" name={fields.trainingFields.name} value={s.value} defaultChecked={chosen.has(s.value)} /> {s.label}
            </label>
          ))}
          {fieldsError ? (
            <p className="field-error" id={fields.trainingFields.errorId} role="alert">
              {fieldsError}
            </p>
          ) : null}
        </fieldset>
      </SectionBox>
      <SectionBox section="capacity" reason={r.capacity}>
        <TextField meta={fields.classrooms} label={label('classrooms')} required inputMode="numeric" maxLength={6} />
        <TextField meta={fields.seats} label={label('seats')} required inputMode="numeric" maxLength={6} />
        <label className="checkbox">
          <input {...getInputProps(fields.onlinePlatform, { type: 'checkbox', value: 'yes' })} key={fields.onlinePlatform.key} />{' '}
          {label('onlinePlatform')}
        </label>
      </SectionBox>
      <SectionBox section="faculty" reason={r.faculty}>
        <TextArea meta={fields.faculty} label={label('faculty')} hint={label('faculty.hint')} required />
      </SectionBox>
      <SectionBox section="courses" reason={r.courses}>
        <TextArea meta={fields.courses} label={label('courses')} hint={label('courses.hint')} required />
      </SectionBox>
      <SectionBox section="contact" reason={r.contact}>
        <TextField meta={fields.contactName} label={label('contactName')} required maxLength={50} />
        <TextField meta={fields.contactPhone} type="tel" label={label('contactPhone')} required inputMode="tel" maxLength={11} />
        <TextField meta={fields.contactEmail} label={label('contactEmail')} maxLength={200} />
      </SectionBox>
      <button type="submit" name="intent" value="save" className="button" disabled={props.busy}>
        {props.submitLabel}
      </button>
    </Form>
  )
}

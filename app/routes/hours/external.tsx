import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { fieldErrors, type FieldErrors } from '#app/domain/identity/accounts.schema.ts'
import { EVIDENCE_ACCEPT, evidenceProblem, MAX_EVIDENCE_BYTES } from '#app/domain/claims/external-claims.ts'
import { ClaimFieldsSchema } from '#app/domain/claims/external-claims.schema.ts'
import { currentConversion, listOwnClaims, submitClaim } from '#app/domain/claims/external-claims.server.ts'
import { requireUser } from '#app/auth/auth.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { readUpload } from '#app/lib/upload.server.ts'
import { FormAlert, Notice, SelectField, TextField, useFocusFirstError } from '#app/components/form.tsx'
import { useLang, useT } from '#app/i18n/use-t.ts'
import { categoryLabel, categoryOptions } from '#app/components/category.ts'

// URL /hours/external; the trailing underscore keeps it out of the /hours page's layout.
export const meta = pageTitle('external.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const db = getDb()
  const [conversion, claims] = await Promise.all([currentConversion(db), listOwnClaims(db, user.personId)])
  return {
    conversion,
    maxMb: MAX_EVIDENCE_BYTES / 1024 / 1024,
    claims: claims.map((c) => ({
      id: c.id,
      ceYear: c.ce_year,
      activity: c.activityInfo,
      title: c.title,
      category: c.category,
      units: c.units,
      claimedHours: c.claimed_hours,
      occurredOn: c.occurred_on,
      status: c.status,
      reason: c.decision_reason,
      filename: c.filename,
      createdAt: c.created_at.toISOString(),
    })),
  }
}

type ActionData = { ok: true; claimedHours: string } | { ok: false; errors: FieldErrors; values: Record<string, string> }

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const upload = await readUpload(request, { fileField: 'evidence', maxFileBytes: MAX_EVIDENCE_BYTES })
  if (!upload.ok) {
    const errors: FieldErrors = upload.problem === 'too_large' && upload.field === 'evidence' ? { evidence: 'err.evidence.tooLarge' } : { _form: 'err.upload' }
    return data<ActionData>({ ok: false, errors, values: {} }, { status: upload.problem === 'too_large' ? 413 : 400 })
  }
  const values = upload.fields
  const parsed = ClaimFieldsSchema.safeParse(values)
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error)
    const fileProblem = evidenceProblem(upload.file?.bytes ?? null)
    if (fileProblem) errors.evidence = fileProblem
    return data<ActionData>({ ok: false, errors, values }, { status: 400 })
  }
  const result = await submitClaim(getDb(), user.personId, parsed.data, upload.file)
  if (!result.ok) return data<ActionData>({ ok: false, errors: result.errors, values }, { status: 400 })
  return { ok: true, claimedHours: result.claimedHours } satisfies ActionData
}

const STATUS_BADGE = { pending: 'badge-rectification', approved: 'badge-designated', rejected: 'badge-revoked' } as const

export default function ExternalHours() {
  const { conversion, claims, maxMb } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const failed = actionData && !actionData.ok ? actionData : undefined
  useFocusFirstError(failed?.errors)
  const errors = failed?.errors ?? {}
  const values = failed?.values ?? {}
  const err = (k: string) => (errors[k] ? t(errors[k]) : undefined)
  const rule = (o: (typeof conversion.options)[number]) => t('external.rule', { unit: t(`external.unit.${o.unit}`), per: o.hoursPerUnit, max: o.maxHours })
  return (
    <>
      <p className="small">
        <Link to="/hours">← {t('hours.title')}</Link>
      </p>
      <h1>{t('external.title')}</h1>
      <p className="lead">{t('external.lead')}</p>
      {actionData?.ok ? <Notice>{t('external.submitted', { hours: actionData.claimedHours })}</Notice> : null}

      <section className="panel" aria-labelledby="table-title">
        <h2 id="table-title">{t('external.table', { year: conversion.year })}</h2>
        {conversion.options.length === 0 ? (
          <p className="muted">{t('hours.noPolicy')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('external.col.activity')}</th>
                  <th scope="col">{t('external.col.unit')}</th>
                  <th scope="col">{t('external.col.perUnit')}</th>
                  <th scope="col">{t('external.col.cap')}</th>
                </tr>
              </thead>
              <tbody>
                {conversion.options.map((o) => (
                  <tr key={o.key}>
                    <td>{o[lang]}</td>
                    <td>{t(`external.unit.${o.unit}`)}</td>
                    <td className="num">{o.hoursPerUnit}</td>
                    <td className="num">{o.maxHours}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {conversion.policyVersion ? <p className="muted small">{t('hours.policy', { version: conversion.policyVersion })}</p> : null}
      </section>

      <section className="panel form-page" aria-labelledby="form-title">
        <h2 id="form-title">{t('external.form')}</h2>
        {failed ? <FormAlert>{t(errors._form ?? 'err.form')}</FormAlert> : null}
        <Form method="post" encType="multipart/form-data" noValidate className="stack" key={actionData?.ok ? `done-${claims[0]?.id ?? 0}` : 'form'}>
          <SelectField
            name="activity"
            label={t('external.field.activity')}
            required
            placeholder={t('field.choose')}
            options={conversion.options.map((o) => ({ value: o.key, label: `${o[lang]}（${rule(o)}）` }))}
            defaultValue={values.activity}
            error={err('activity')}
          />
          <TextField name="title" label={t('external.field.title')} hint={t('external.field.title.hint')} required maxLength={200} defaultValue={values.title} error={err('title')} />
          <SelectField
            name="category"
            label={t('external.field.category')}
            required
            placeholder={t('field.choose')}
            options={categoryOptions(t)}
            defaultValue={values.category}
            error={err('category')}
          />
          <TextField name="units" label={t('external.field.units')} hint={t('external.field.units.hint')} required inputMode="text" maxLength={5} defaultValue={values.units} error={err('units')} />
          <TextField name="occurredOn" type="date" label={t('external.field.date')} hint={t('external.field.date.hint', { year: conversion.year, previous: conversion.year - 1 })} required defaultValue={values.occurredOn} error={err('occurredOn')} />
          <div className={`field${errors.evidence ? ' field-invalid' : ''}`}>
            <label htmlFor="evidence">
              {t('external.field.evidence')}
              <span className="required" aria-hidden="true">
                {' '}*
              </span>
            </label>
            <input
              id="evidence"
              name="evidence"
              type="file"
              accept={EVIDENCE_ACCEPT}
              required
              aria-invalid={errors.evidence ? true : undefined}
              aria-describedby={errors.evidence ? 'evidence-hint evidence-error' : 'evidence-hint'}
            />
            <p className="field-hint" id="evidence-hint">
              {t('external.field.evidence.hint', { mb: maxMb })}
            </p>
            {errors.evidence ? (
              <p className="field-error" id="evidence-error" role="alert">
                {t(errors.evidence)}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button" disabled={busy}>
            {t('external.submit')}
          </button>
        </Form>
      </section>

      <section className="panel" aria-labelledby="mine-title">
        <h2 id="mine-title">{t('external.mine')}</h2>
        {claims.length === 0 ? (
          <p className="muted">{t('external.mine.none')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('hours.col.date')}</th>
                  <th scope="col">{t('external.col.activity')}</th>
                  <th scope="col">{t('hours.col.category')}</th>
                  <th scope="col">{t('external.col.units')}</th>
                  <th scope="col">{t('hours.col.hours')}</th>
                  <th scope="col">{t('external.col.status')}</th>
                </tr>
              </thead>
              <tbody>
                {claims.map((c) => (
                  <tr key={c.id}>
                    <td>
                      {c.occurredOn}
                      <div className="small muted">{t('hours.yearLabel', { year: c.ceYear })}</div>
                    </td>
                    <td className="wrap">
                      {c.title}
                      <div className="small muted">
                        {c.activity ? c.activity[lang] : '—'}
                        {c.filename ? ` · ${c.filename}` : ''}
                      </div>
                    </td>
                    <td>{categoryLabel(c.category, t)}</td>
                    <td className="num">
                      {c.units} {c.activity ? t(`external.unit.${c.activity.unit}`) : ''}
                    </td>
                    <td className="num">{c.claimedHours}</td>
                    <td className="wrap">
                      <span className={`badge ${STATUS_BADGE[c.status]}`}>{t(`external.status.${c.status}`)}</span>
                      {c.reason && c.status === 'rejected' ? <div className="small">{t('external.rejectedBecause', { reason: c.reason })}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  )
}

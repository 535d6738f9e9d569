import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireUser } from '#app/auth/auth.server.ts'
import { categoryLabel, categoryOptions } from '#app/components/category.ts'
import { FileField, FormAlert, Notice, SelectField, TextField, useErrorText } from '#app/components/form.tsx'
import { DataTable } from '#app/components/ui/data-table.tsx'
import { ClaimFieldsSchema } from '#app/domain/claims/external-claims.schema.ts'
import { currentConversion, listOwnClaims, submitClaim } from '#app/domain/claims/external-claims.server.ts'
import { EVIDENCE_ACCEPT, evidenceProblem, MAX_EVIDENCE_BYTES } from '#app/domain/claims/external-claims.ts'
import { formatDate, pageTitle, plural, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'
import { fieldErrorList } from '#app/lib/http.server.ts'
import { readUpload } from '#app/lib/upload.server.ts'

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

type ActionData = { ok: true; claimedHours: string; result: SubmissionResult } | { ok: false; result: SubmissionResult }

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const upload = await readUpload(request, { fileField: 'evidence', maxFileBytes: MAX_EVIDENCE_BYTES })
  if (!upload.ok) {
    // Nothing usable was read, so there is no submission to reply to: only what went wrong.
    const error: Record<string, string[]> =
      upload.problem === 'too_large' && upload.field === 'evidence' ? { evidence: ['err.evidence.tooLarge'] } : { '': ['err.upload'] }
    return data<ActionData>({ ok: false, result: { status: 'error', error } }, { status: upload.problem === 'too_large' ? 413 : 400 })
  }
  // The text fields are parsed like any form; the file was read under its limits above and is
  // judged by its bytes (with the schema's errors, or by submitClaim).
  const submission = parseWithZod(new URLSearchParams(upload.fields), { schema: ClaimFieldsSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') {
    const fileProblem = evidenceProblem(upload.file?.bytes ?? null)
    return data<ActionData>(
      { ok: false, result: submission.reply(fileProblem ? { fieldErrors: { evidence: [fileProblem] } } : {}) },
      { status: 400 },
    )
  }
  const result = await submitClaim(getDb(), user.personId, submission.value, upload.file)
  if (!result.ok)
    return data<ActionData>({ ok: false, result: submission.reply({ fieldErrors: fieldErrorList(result.errors) }) }, { status: 400 })
  return { ok: true, claimedHours: result.claimedHours, result: submission.reply({ resetForm: true }) } satisfies ActionData
}

const STATUS_BADGE = { pending: 'badge-rectification', approved: 'badge-designated', rejected: 'badge-revoked' } as const

export default function ExternalHours() {
  const { conversion, claims, maxMb } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const [form, fields] = useForm<z.input<typeof ClaimFieldsSchema> & { evidence: File }>({ id: 'claim', lastResult: actionData?.result })
  const formError = useErrorText(form.errors)
  const rule = (o: (typeof conversion.options)[number]) =>
    t('external.rule', { unit: t(`external.unit.${o.unit}`), per: o.hoursPerUnit, max: o.maxHours })
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
        {form.status === 'error' ? <FormAlert>{formError ?? t('err.form')}</FormAlert> : null}
        <Form
          method="post"
          encType="multipart/form-data"
          className="stack"
          key={actionData?.ok ? `done-${claims[0]?.id ?? 0}` : 'form'}
          {...getFormProps(form)}
        >
          <SelectField
            meta={fields.activity}
            label={t('external.field.activity')}
            required
            placeholder={t('field.choose')}
            options={conversion.options.map((o) => ({ value: o.key, label: `${o[lang]}（${rule(o)}）` }))}
          />
          <TextField meta={fields.title} label={t('external.field.title')} hint={t('external.field.title.hint')} required maxLength={200} />
          <SelectField
            meta={fields.category}
            label={t('external.field.category')}
            required
            placeholder={t('field.choose')}
            options={categoryOptions(t)}
          />
          <TextField
            meta={fields.units}
            label={t('external.field.units')}
            hint={t('external.field.units.hint')}
            required
            inputMode="text"
            maxLength={5}
          />
          <TextField
            meta={fields.occurredOn}
            type="date"
            label={t('external.field.date')}
            hint={t('external.field.date.hint', { year: conversion.year, previous: conversion.year - 1 })}
            required
          />
          <FileField
            meta={fields.evidence}
            label={t('external.field.evidence')}
            hint={t('external.field.evidence.hint', { mb: maxMb })}
            required
            accept={EVIDENCE_ACCEPT}
          />
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
          <DataTable
            caption={t('external.mine')}
            rows={claims}
            rowKey={(c) => c.id}
            columns={[
              {
                key: 'date',
                header: t('hours.col.date'),
                cell: (c) => (
                  <>
                    <span className="nowrap">{formatDate(lang, c.occurredOn, 'day')}</span>
                    <div className="small muted">{t('hours.yearLabel', { year: c.ceYear })}</div>
                  </>
                ),
              },
              {
                key: 'activity',
                header: t('external.col.activity'),
                width: '30%',
                cell: (c) => (
                  <>
                    {c.title}
                    <div className="small muted">
                      {c.activity ? c.activity[lang] : '—'}
                      {c.filename ? ` · ${c.filename}` : ''}
                    </div>
                  </>
                ),
              },
              { key: 'category', header: t('hours.col.category'), cell: (c) => categoryLabel(c.category, t) },
              {
                key: 'units',
                header: t('external.col.units'),
                numeric: true,
                cell: (c) =>
                  c.activity ? t(`external.units.${c.activity.unit}.${plural(lang, Number(c.units))}`, { count: c.units }) : c.units,
              },
              { key: 'hours', header: t('hours.col.hours'), numeric: true, cell: (c) => c.claimedHours },
              {
                key: 'status',
                header: t('external.col.status'),
                main: true,
                cell: (c) => (
                  <>
                    <span className={`badge ${STATUS_BADGE[c.status]}`}>{t(`external.status.${c.status}`)}</span>
                    {c.reason && c.status === 'rejected' ? (
                      <div className="small">{t('external.rejectedBecause', { reason: c.reason })}</div>
                    ) : null}
                  </>
                ),
              },
            ]}
          />
        )}
      </section>
    </>
  )
}

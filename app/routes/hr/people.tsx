import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireHr } from '#app/auth/hr.server.ts'
import { ANSWERED_ELSEWHERE, FormAlert, TextField } from '#app/components/form.tsx'
import { PersonSearchSchema } from '#app/domain/hours/hr-ledger.schema.ts'
import { searchPeople } from '#app/domain/hours/hr-ledger.server.ts'
import { nameOf, regionName, TITLE_LEVELS } from '#app/domain/shared/reference.ts'
import { pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('hrPeople.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  return { scope: hr.scopeRegion }
}

type Found = Awaited<ReturnType<typeof searchPeople>>
type ActionData =
  | { ok: true; mode: 'id' | 'name'; truncated: boolean; people: Found['people']; result: SubmissionResult }
  | { ok: false; mode: 'id' | 'name'; result: SubmissionResult }

// Searches are POSTed, so ID numbers never end up in URLs, history or access logs.
export async function action({ request }: ActionFunctionArgs) {
  const hr = await requireHr(request)
  const formData = await request.formData()
  const mode = formData.get('intent') === 'search-name' ? 'name' : 'id'
  const submission = parseWithZod(formData, { schema: PersonSearchSchema, disableAutoCoercion: true })
  // The ID number is not echoed back; name and employer are.
  const hideFields = ['idNumber']
  if (submission.status !== 'success')
    return data<ActionData>({ ok: false, mode, result: submission.reply({ hideFields }) }, { status: 400 })
  const input = submission.value
  const found = await searchPeople(
    getDb(),
    hr,
    input.intent === 'search-id' ? { mode: 'id', idNumber: input.idNumber } : { mode: 'name', name: input.name, employer: input.employer },
  )
  return { ok: true, mode, truncated: found.truncated, people: found.people, result: submission.reply({ hideFields }) } satisfies ActionData
}

export default function HrPeople() {
  const { scope } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const failed = actionData && !actionData.ok ? actionData : undefined
  const lastResult = (mode: 'id' | 'name') => (actionData ? (actionData.mode === mode ? actionData.result : ANSWERED_ELSEWHERE) : undefined)
  const [idForm, idFields] = useForm<z.input<typeof PersonSearchSchema>>({ id: 'search-id', lastResult: lastResult('id') })
  const [nameForm, nameFields] = useForm<z.input<typeof PersonSearchSchema>>({ id: 'search-name', lastResult: lastResult('name') })
  return (
    <>
      <p className="small">
        <Link to="/hr">← {t('hr.title')}</Link>
      </p>
      <h1>{t('hrPeople.title')}</h1>
      <p className="lead">{t('hrPeople.lead', { region: regionName(scope, lang) })}</p>
      {failed ? <FormAlert>{t('err.form')}</FormAlert> : null}
      <div className="grid-2">
        <section className="panel" aria-labelledby="by-id">
          <h2 id="by-id">{t('hrPeople.byId')}</h2>
          <Form method="post" className="stack" {...getFormProps(idForm)}>
            <TextField
              meta={idFields.idNumber}
              label={t('field.idNumber')}
              hint={t('field.idNumber.hint')}
              required
              maxLength={18}
              autoComplete="off"
            />
            <button type="submit" name="intent" value="search-id" className="button" disabled={busy}>
              {t('hrPeople.search')}
            </button>
          </Form>
        </section>
        <section className="panel" aria-labelledby="by-name">
          <h2 id="by-name">{t('hrPeople.byName')}</h2>
          <Form method="post" className="stack" {...getFormProps(nameForm)}>
            <TextField meta={nameFields.name} label={t('field.name')} required maxLength={30} autoComplete="off" />
            <TextField
              meta={nameFields.employer}
              label={t('field.employer')}
              hint={t('hrPeople.employer.hint')}
              required
              maxLength={100}
              autoComplete="off"
            />
            <button type="submit" name="intent" value="search-name" className="button" disabled={busy}>
              {t('hrPeople.search')}
            </button>
          </Form>
        </section>
      </div>
      {actionData?.ok ? (
        <section className="panel" aria-labelledby="results" aria-live="polite">
          <h2 id="results">{t('hrPeople.results', { count: actionData.people.length })}</h2>
          {actionData.people.length === 0 ? (
            <p className="muted">{t('hrPeople.none')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('table.name')}</th>
                    <th scope="col">{t('table.idNumber')}</th>
                    <th scope="col">{t('field.employer')}</th>
                    <th scope="col">{t('field.region')}</th>
                    <th scope="col">{t('field.titleLevel')}</th>
                    <th scope="col">{t('table.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {actionData.people.map((p) => (
                    <tr key={p.id}>
                      <td>
                        {p.name}
                        {p.registered ? null : <div className="small muted">{t('hrPeople.unregistered')}</div>}
                      </td>
                      <td className="mono">{p.idNumberMasked}</td>
                      <td className="wrap">{p.employer ?? '—'}</td>
                      <td>{regionName(p.region_code, lang) || '—'}</td>
                      <td>{p.title_level ? nameOf(TITLE_LEVELS, p.title_level, lang) : '—'}</td>
                      <td>
                        <Link to={`/hr/people/${p.id}`}>{t('hrPeople.open')}</Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {actionData.truncated ? <p className="muted small">{t('hrPeople.truncated')}</p> : null}
        </section>
      ) : null}
    </>
  )
}

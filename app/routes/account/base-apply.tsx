import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { requireUser } from '#app/auth/auth.server.ts'
import { ApplicationForm } from '#app/components/bases/application-form.tsx'
import { applicationsAwaiting, createApplication } from '#app/domain/bases/applications.server.ts'
import { REGIONS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import { getDb } from '#app/lib/db.server.ts'

import { ApplicationFormSchema, formErrors, toInput } from './base-application-form.server.ts'

// URL /bases/apply: any signed-in account may apply as an institution's contact person.
export const meta = pageTitle('base.apply.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const mine = await applicationsAwaiting(getDb(), { role: 'applicant', accountId: user.accountId })
  const lang = getLang(request)
  return {
    regions: REGIONS.map((r) => ({ value: r.code, label: r[lang] })),
    series: TITLE_SERIES.map((s) => ({ value: s.code, label: s[lang] })),
    mine: mine
      .sort((a, b) => b.id - a.id)
      .map((a) => ({ id: a.id, name: a.institution_name, state: a.state, updatedAt: a.updated_at.toISOString() })),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await request.formData(), { schema: ApplicationFormSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const r = await getDb()
    .transaction()
    .execute((trx) => createApplication(trx, user.accountId, toInput(submission.value)))
  if (!r.ok) {
    const fieldErrors = r.errors ? formErrors(r.errors) : { '': [`err.base.${r.code}`] }
    return data({ result: submission.reply({ fieldErrors }) }, { status: 400 })
  }
  return redirect(`/bases/applications/${r.applicationId}`, 303)
}

export default function ApplyForBase() {
  const { mine, regions, series } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  return (
    <>
      <p className="small">
        <Link to="/bases">← {t('base.page.back')}</Link>
      </p>
      <h1>{t('base.apply.title')}</h1>
      <p className="lead">{t('base.apply.lead')}</p>
      {mine.length ? (
        <section className="panel" aria-labelledby="mine-title">
          <h2 id="mine-title">{t('base.apply.mine')}</h2>
          <ul>
            {mine.map((a) => (
              <li key={a.id}>
                <Link to={`/bases/applications/${a.id}`}>{a.name}</Link>{' '}
                <span className="muted small">
                  {t(`base.apply.state.${a.state}`)} · {formatDate(lang, a.updatedAt, 'date')}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <ApplicationForm
        id="base-application"
        lastResult={actionData?.result}
        regions={regions}
        series={series}
        submitLabel={t('base.apply.create')}
        busy={busy}
      />
    </>
  )
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { requireRole } from '#app/auth/auth.server.ts'
import { countPeopleInScope } from '#app/domain/identity/accounts.server.ts'
import { PROVINCE, regionName } from '#app/domain/shared/reference.ts'
import { pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('hr.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['hr'])
  const scope = user.scopeRegion ?? PROVINCE.code
  return { scope, people: await countPeopleInScope(getDb(), scope, PROVINCE.code) }
}

export default function HrHome() {
  const { scope, people } = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  return (
    <>
      <h1>{t('hr.title')}</h1>
      <p className="lead">{t('hr.scope', { region: regionName(scope, lang) })}</p>
      <div className="stats">
        <div className="stat">
          <span className="stat-value">{people}</span>
          <span className="stat-label">{t('hr.peopleLabel')}</span>
        </div>
      </div>
      <div className="cards">
        <section className="card">
          <h2>
            <Link to="/hr/claims">{t('nav.hr.claims')}</Link>
          </h2>
          <p>{t('hr.link.claims')}</p>
        </section>
        <section className="card">
          <h2>
            <Link to="/hr/people">{t('nav.hr.people')}</Link>
          </h2>
          <p>{t('hr.link.people')}</p>
        </section>
      </div>
    </>
  )
}

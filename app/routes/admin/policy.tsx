import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'

import { requireRole } from '#app/auth/auth.server.ts'
import { policyOverview } from '#app/domain/policy/policy.server.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('admin.policy.title')

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['admin'])
  return { years: await policyOverview(getDb()) }
}

export default function AdminPolicy() {
  const { years } = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  return (
    <>
      <h1>{t('admin.policy.title')}</h1>
      <p className="lead">{t('admin.policy.lead')}</p>
      <div className="cards cards-wide">
        {years.map(({ year, version, loadedAt, versions, policy: p }) => (
          <section key={year} className="card" aria-labelledby={`policy-${year}`}>
            <h2 id={`policy-${year}`}>{t('hours.yearLabel', { year })}</h2>
            <dl className="facts">
              <div>
                <dt>{t('admin.policy.version')}</dt>
                <dd className="mono">{version}</dd>
              </div>
              <div>
                <dt>{t('admin.policy.requirement')}</dt>
                <dd>{t('admin.policy.requirementValue', p.requirement)}</dd>
              </div>
              <div>
                <dt>{t('admin.policy.publicCap')}</dt>
                <dd>{p.caps.publicCounted ?? t('admin.policy.noCap')}</dd>
              </div>
              <div>
                <dt>{t('admin.policy.online')}</dt>
                <dd>{t('admin.policy.onlineValue', { minutes: p.conversion.onlineMinutesPerHour })}</dd>
              </div>
              <div>
                <dt>{t('admin.policy.training')}</dt>
                <dd>
                  {t('admin.policy.trainingValue', { day: p.conversion.trainingHoursPerDay, half: p.conversion.trainingHoursPerHalfDay })}
                </dd>
              </div>
              <div>
                <dt>{t('admin.policy.titleCheck')}</dt>
                <dd>
                  {t('admin.policy.titleCheckValue', {
                    firstApplication: p.titleCheck.firstApplicationYear,
                    lookBack: p.titleCheck.lookBackYears,
                    firstChecked: p.titleCheck.firstCheckedYear,
                  })}
                </dd>
              </div>
              <div>
                <dt>{t('admin.policy.carryOver')}</dt>
                <dd>{p.carryOver ? '✓' : t('admin.policy.noCarryOver')}</dd>
              </div>
              <div>
                <dt>{t('admin.policy.loadedAt')}</dt>
                <dd>
                  {formatDate(lang, loadedAt, 'dateTime')} · {t('admin.policy.history')} {versions}
                </dd>
              </div>
            </dl>
          </section>
        ))}
      </div>
    </>
  )
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { requireRole } from '#app/auth/auth.server.ts'
import { awaitingHr } from '#app/domain/bases/registry.server.ts'
import { countPeopleInScope } from '#app/domain/identity/accounts.server.ts'
import { listForHr } from '#app/domain/integrity/records.server.ts'
import { disputesAwaiting } from '#app/domain/reports/disputes.server.ts'
import { reportsAwaiting } from '#app/domain/reports/review.server.ts'
import { pendingApprovalCount } from '#app/domain/seminars/approval.server.ts'
import { PROVINCE, regionName } from '#app/domain/shared/reference.ts'
import { pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('hr.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['hr'])
  const scope = user.scopeRegion ?? PROVINCE.code
  const db = getDb()
  const [people, bases, reviews, approvals, integrity] = await Promise.all([
    countPeopleInScope(db, scope, PROVINCE.code),
    // The base pages need a scope (requireHr); without one there is nothing to count for them.
    user.scopeRegion ? awaitingHr(db, user.scopeRegion) : null,
    user.scopeRegion
      ? Promise.all([reportsAwaiting(db, user.scopeRegion), disputesAwaiting(db, user.scopeRegion)]).then(([reports, disputes]) => ({
          reports,
          disputes,
        }))
      : null,
    user.scopeRegion ? pendingApprovalCount(db, { scopeRegion: user.scopeRegion, personId: user.personId }) : null,
    // integrity records awaiting this officer: a colleague's finding to confirm, or (province) an appeal
    user.scopeRegion
      ? listForHr(db, { accountId: user.accountId, personId: user.personId, scopeRegion: user.scopeRegion }, { awaiting: true }).then(
          (rows) => rows.length,
        )
      : null,
  ])
  return { scope, people, bases, reviews, approvals, integrity }
}

export default function HrHome() {
  const { scope, people, bases, reviews, approvals, integrity } = useLoaderData<typeof loader>()
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
            <Link to="/hr/compliance">{t('compliance.title')}</Link>
          </h2>
          <p>{t('compliance.home')}</p>
        </section>
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
        {bases ? (
          <section className="card">
            <h2>
              <Link to="/hr/bases">{t('hr.link.bases.title')}</Link>
            </h2>
            <p>{t('hr.link.bases')}</p>
            <ul className="small">
              <li>{t('hr.bases.toReview', { count: bases.toReview })}</li>
              {scope === PROVINCE.code ? <li>{t('hr.bases.toDecide', { count: bases.toDecide })}</li> : null}
              <li>{t('hr.bases.nameChanges', { count: bases.nameChanges })}</li>
              <li>{t('hr.bases.overdue', { count: bases.overdue })}</li>
            </ul>
          </section>
        ) : null}
        {reviews ? (
          <>
            <section className="card">
              <h2>
                <Link to="/hr/reports">{t('nav.hr.reports')}</Link>
              </h2>
              <p>{t('reviews.home.reports', { count: reviews.reports })}</p>
            </section>
            <section className="card">
              <h2>
                <Link to="/hr/disputes">{t('nav.hr.disputes')}</Link>
              </h2>
              <p>{t('reviews.home.disputes', { count: reviews.disputes })}</p>
            </section>
          </>
        ) : null}
        {approvals !== null ? (
          <section className="card">
            <h2>
              <Link to="/hr/seminar-approvals">{t('seminarApproval.home.title')}</Link>
            </h2>
            <p>{t('seminarApproval.home.count', { count: approvals })}</p>
          </section>
        ) : null}
        {integrity !== null ? (
          <section className="card">
            <h2>
              <Link to="/hr/integrity">{t('integrityHr.home')}</Link>
            </h2>
            <p>{t('integrityHr.home.count', { count: integrity })}</p>
          </section>
        ) : null}
        <section className="card">
          <h2>
            <Link to="/hr/seminars">{t('seminarApproval.home.seminarsTitle')}</Link>
          </h2>
          <p>{t('seminarApproval.home.seminars')}</p>
        </section>
        {reviews && scope === PROVINCE.code ? (
          <section className="card">
            <h2>
              <Link to="/hr/legacy">{t('legacy.title')}</Link>
            </h2>
            <p>{t('reviews.home.legacy')}</p>
          </section>
        ) : null}
      </div>
    </>
  )
}

import { Link, useLoaderData, useRouteLoaderData } from '@remix-run/react'

import { currentRules } from '#app/domain/hours/overview.server.ts'
import { useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

/** The requirement stated on the home page comes from the policy in force, not from the text. */
export async function loader() {
  const rules = await currentRules(getDb())
  const dash = '—'
  return { rules: { total: rules?.total ?? dash, professional: rules?.professional ?? dash, public: rules?.public ?? dash } }
}

export default function Home() {
  const t = useT()
  const { rules } = useLoaderData<typeof loader>()
  const root = useRouteLoaderData('root') as { user: { role: string } | null } | undefined
  const signedIn = Boolean(root?.user)
  const audiences = ['learner', 'base', 'hr', 'api'] as const
  return (
    <>
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t('home.title')}</h1>
        <p className="lead">{t('home.lead')}</p>
        <p className="hero-actions">
          {signedIn ? (
            <Link to="/account" className="button">
              {t('home.cta.account')}
            </Link>
          ) : (
            <>
              <Link to="/register" className="button">
                {t('home.cta.register')}
              </Link>
              <Link to="/login" className="button button-secondary">
                {t('home.cta.login')}
              </Link>
            </>
          )}
        </p>
      </section>
      <section className="cards" aria-label={t('home.title')}>
        {audiences.map((a) => (
          <article key={a} className="card">
            <h2>{t(`home.for.${a}.title`)}</h2>
            <p>{t(`home.for.${a}.body`, rules)}</p>
            {a === 'api' ? (
              <p>
                <Link to="/developers">{t('nav.developers')} →</Link>
              </p>
            ) : null}
            {a === 'learner' ? (
              <p>
                <Link to="/seminars">{t('nav.seminars')} →</Link>
              </p>
            ) : null}
          </article>
        ))}
      </section>
      <section className="rules" aria-labelledby="rules-title">
        <h2 id="rules-title">{t('home.rules.title')}</h2>
        <p>{t('home.rules.body', rules)}</p>
      </section>
    </>
  )
}

import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react'
import type { ReactNode } from 'react'

import { getUser } from '#app/auth/auth.server.ts'
import { messagesFor } from '#app/i18n/catalog.server.ts'
import { htmlLang, type Lang, type MessageKey, metaT, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import type { Role } from '#db/schema.ts'

import { useNonce } from './lib/nonce.ts'
import styles from './styles/app.css?url'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

/** The site's title; an error page (a 404 among them) gets its own, e.g. "页面不存在 · 学时". */
export const meta: MetaFunction = (args) => {
  if (!args.error) return pageTitle(null)(args)
  const status = isRouteErrorResponse(args.error) ? args.error.status : 500
  const kind = status === 404 ? '404' : status === 403 ? '403' : status === 503 ? '503' : 'generic'
  const t = metaT(args.matches)
  return [{ title: `${t(`error.${kind}.title`)} · ${t('app.name')}` }]
}

export async function loader({ request }: LoaderFunctionArgs) {
  const lang = getLang(request)
  const user = await getUser(request)
  // The messages of this language only: the catalogs stay on the server.
  return { lang, messages: messagesFor(lang), user: user ? { name: user.name, role: user.role, worksForBase: user.baseId !== null } : null }
}

type RootData = Awaited<ReturnType<typeof loader>>

const NAV: Record<Role, { to: string; key: MessageKey }[]> = {
  learner: [
    { to: '/courses', key: 'nav.courses' },
    { to: '/hours', key: 'nav.hours' },
    { to: '/hours/external', key: 'nav.external' },
    { to: '/seminars', key: 'nav.seminars' },
    { to: '/account', key: 'nav.account' },
  ],
  base_staff: [
    { to: '/base', key: 'nav.base' },
    { to: '/base/activities', key: 'nav.base.activities' },
    { to: '/base/seminars', key: 'nav.base.seminars' },
    { to: '/account', key: 'nav.account' },
  ],
  hr: [
    { to: '/hr', key: 'nav.hr' },
    { to: '/hr/compliance', key: 'nav.hr.compliance' },
    { to: '/hr/claims', key: 'nav.hr.claims' },
    { to: '/hr/people', key: 'nav.hr.people' },
    { to: '/hr/title-changes', key: 'nav.hr.titleChanges' },
    { to: '/hr/bases', key: 'nav.hr.bases' },
    { to: '/hr/reports', key: 'nav.hr.reports' },
    { to: '/account', key: 'nav.account' },
  ],
  admin: [
    { to: '/admin', key: 'nav.admin' },
    { to: '/admin/staff', key: 'nav.admin.staff' },
    { to: '/admin/api-clients', key: 'nav.admin.api' },
    { to: '/admin/courses', key: 'nav.admin.courses' },
    { to: '/admin/policy', key: 'nav.admin.policy' },
    { to: '/admin/bases', key: 'nav.admin.bases' },
    { to: '/admin/seminars', key: 'nav.admin.seminars' },
    { to: '/admin/audit', key: 'nav.admin.audit' },
    { to: '/account', key: 'nav.account' },
  ],
}

function Header({ lang, user }: { lang: Lang; user: RootData['user'] }) {
  const t = useT()
  const location = useLocation()
  const here = location.pathname + location.search
  const items: { to: string; key: MessageKey; end?: boolean }[] = [
    { to: '/', key: 'nav.home', end: true },
    ...(user
      ? [
          // A learner who also works for a base (ADR 0020) has its workspace too.
          ...(user.role === 'learner' && user.worksForBase ? [{ to: '/base', key: 'nav.base' as const }] : []),
          ...NAV[user.role],
        ].map((item) => ({ ...item, end: item.to === '/admin' || item.to === '/hr' || item.to === '/base' }))
      : [
          { to: '/courses', key: 'nav.courses' as const },
          { to: '/seminars', key: 'nav.seminars' as const },
          { to: '/bases', key: 'nav.bases' as const },
        ]),
  ]
  const trailing: { to: string; key: MessageKey }[] = user
    ? []
    : [
        { to: '/login', key: 'nav.login' },
        { to: '/register', key: 'nav.register' },
      ]
  const links = (list: typeof items) =>
    list.map((item) => (
      <NavLink key={item.to} to={item.to} end={item.end}>
        {t(item.key)}
      </NavLink>
    ))
  const account = user ? (
    <>
      <span className="nav-user">
        {user.name} · {t(`role.${user.role}`)}
      </span>
      <Form method="post" action="/logout">
        <button type="submit" className="link-button nav-logout">
          {t('nav.logout')}
        </button>
      </Form>
    </>
  ) : (
    links(trailing)
  )
  // The page the phone menu's summary names (the longest matching item).
  const current = [...items, ...trailing]
    .filter((i) => (i.to === '/' ? location.pathname === '/' : location.pathname === i.to || location.pathname.startsWith(`${i.to}/`)))
    .sort((a, b) => b.to.length - a.to.length)[0]
  return (
    <header className="site-header">
      <div className="container header-row">
        {/* No aria-label: the visible text ("学时" and the platform's name) is the link's name. */}
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            学
          </span>
          <span className="brand-text">
            <strong>{t('app.name')}</strong>
            <small>{t('app.fullName')}</small>
          </span>
        </Link>
        <Form method="post" action="/lang" className="lang-form" reloadDocument>
          <input type="hidden" name="lang" value={lang === 'zh' ? 'en' : 'zh'} />
          <input type="hidden" name="redirectTo" value={here} />
          <button type="submit" className="link-button">
            <span className="sr-only">{t('lang.switchLabel')}: </span>
            <span lang={lang === 'zh' ? 'en' : 'zh-CN'}>{t('lang.switch')}</span>
          </button>
        </Form>
      </div>
      <nav className="site-nav" aria-label={t('nav.main')}>
        {/* Wide screens: one row. Phones: a <details> menu (no script needed), closed again after
            each navigation (keyed on the path). Each is display:none where the other shows. */}
        <div className="container nav-row nav-wide">
          {links(items)}
          <span className="nav-spacer" />
          {account}
        </div>
        <details className="container nav-menu" key={location.pathname}>
          <summary>
            {t('nav.menu')}
            {current ? <span className="nav-current"> · {t(current.key)}</span> : null}
          </summary>
          <div className="nav-menu-list">
            {links(items)}
            {account}
          </div>
        </details>
      </nav>
    </header>
  )
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root')
  // Without root data (its loader failed), the shell falls back to Chinese: see useMessages.
  const lang = useLang()
  const nonce = useNonce()
  const t = useT()
  return (
    <html lang={htmlLang(lang)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">
          {t('app.skip')}
        </a>
        <Header lang={lang} user={data?.user ?? null} />
        <main id="main" className="container main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="container">
            <p>{t('footer.basis')}</p>
            <p>{t('footer.privacy')}</p>
            <p>
              <Link to="/developers">{t('nav.developers')}</Link>
            </p>
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  const error = useRouteError()
  const t = useT()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const kind = status === 404 ? '404' : status === 403 ? '403' : status === 503 ? '503' : 'generic'
  if (kind === 'generic' && typeof document !== 'undefined') console.error(error)
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-code">{status}</p>
      <h1 id="error-title">{t(`error.${kind}.title`)}</h1>
      <p>{t(`error.${kind}.body`)}</p>
      <p>
        <Link to="/" className="button">
          {t('error.backHome')}
        </Link>
      </p>
    </section>
  )
}

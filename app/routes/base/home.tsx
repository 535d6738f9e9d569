import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'

import { requireRole } from '#app/auth/auth.server.ts'
import { getBase } from '#app/domain/bases/bases.server.ts'
import { regionName } from '#app/domain/shared/reference.ts'
import { pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('base.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['base_staff'])
  const base = user.baseId === null ? undefined : await getBase(getDb(), user.baseId)
  if (!base) throw new Response('Not Found', { status: 404 })
  return { base }
}

export default function BaseHome() {
  const { base } = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  return (
    <>
      <h1>{t('base.title')}</h1>
      <section className="panel" aria-labelledby="base-info">
        <h2 id="base-info">{t('base.info')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('base.name')}</dt>
            <dd>{base.name}</dd>
          </div>
          <div>
            <dt>{t('base.creditCode')}</dt>
            <dd className="mono">{base.credit_code}</dd>
          </div>
          <div>
            <dt>{t('base.region')}</dt>
            <dd>{regionName(base.region_code, lang)}</dd>
          </div>
          <div>
            <dt>{t('base.status')}</dt>
            <dd>
              <span className={`badge badge-${base.status}`}>{t(`base.status.${base.status}`)}</span>
            </dd>
          </div>
        </dl>
      </section>
    </>
  )
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'

import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { notFound } from '#app/lib/http.server.ts'
import { isLocalSms, readLocalOutbox } from '#app/lib/sms.server.ts'

import { isLoopback } from './client-ip.server.ts'

export const meta = pageTitle('outbox.title')

/**
 * The local SMS channel's outbox (development, and `npm start` on a fresh clone): the messages
 * that would have gone out by SMS, such as password-reset codes. 404 when a real SMS provider is
 * configured, and to anyone but this machine (loopback), so it can never leak codes from a server.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!isLocalSms() || !isLoopback(request)) notFound()
  return { messages: await readLocalOutbox() }
}

export const headers = () => ({ 'Cache-Control': 'private, no-store' })

export default function DevOutbox() {
  const t = useT()
  const lang = useLang()
  const { messages } = useLoaderData<typeof loader>()
  return (
    <section aria-labelledby="outbox-title">
      <h1 id="outbox-title">{t('outbox.title')}</h1>
      <p className="lead">{t('outbox.lead')}</p>
      {messages.length === 0 ? (
        <p className="muted">{t('outbox.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('outbox.at')}</th>
              <th scope="col">{t('outbox.to')}</th>
              <th scope="col">{t('outbox.text')}</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m, i) => (
              <tr key={`${m.at}-${i}`}>
                <td>{formatDate(lang, m.at, 'dateTimeSeconds')}</td>
                <td>{m.to}</td>
                <td>{m.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

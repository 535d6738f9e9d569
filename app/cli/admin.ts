/**
 * `npm run admin -- <command>`: administration from the shell, against the same database
 * `npm start` uses (DATABASE_URL, or the embedded one under .data/).
 *
 *   create-admin --name 王建国 --id-number 220102196512304566 --phone 13900000001 [--password …]
 *       Creates an admin account (the first admin of a real deployment). Without --password a
 *       strong one is generated and printed once.
 *   api-client create --name NAME [--region CODE] [--rate-limit N]
 *       Issues an API key for the credit-hours check (scope: a region code, default the whole
 *       province 220000). The key is printed alone on the last line, once.
 *   api-client list | api-client revoke --id N
 */
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'

import { fieldErrors, StaffSchema } from '#app/domain/identity/accounts.schema.ts'
import { createStaffAccount } from '#app/domain/identity/accounts.server.ts'
import { isMessageKey, translate } from '#app/i18n/catalog.server.ts'
import type { Lang } from '#app/i18n/messages.ts'

import { provideDatabase, provideDataKey } from './local-config.ts'

const USAGE = `Usage:
  npm run admin -- create-admin --name NAME --id-number ID --phone MOBILE [--password PASSWORD]
  npm run admin -- api-client create --name NAME [--region CODE] [--rate-limit N]
  npm run admin -- api-client list
  npm run admin -- api-client revoke --id N`

/** A validation message (a catalog key) as text; anything else as it is. */
const text = (lang: Lang, key: string) => (isMessageKey(key) ? translate(lang, key) : key)

function fail(message: string): never {
  console.error(message)
  process.exit(2)
}

async function createAdmin(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { name: { type: 'string' }, 'id-number': { type: 'string' }, phone: { type: 'string' }, password: { type: 'string' } },
    strict: true,
  })
  const generated = !values.password
  const password = values.password ?? `Xs${randomBytes(9).toString('base64url')}9`
  const parsed = StaffSchema.safeParse({
    name: values.name ?? '',
    idNumber: values['id-number'] ?? '',
    phone: values.phone ?? '',
    password,
    role: 'admin',
  })
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error)
    fail(
      'Cannot create the admin:\n' +
        Object.entries(errors)
          .map(([field, key]) => `  --${field.replace('idNumber', 'id-number')}: ${text('zh', key)} (${text('en', key)})`)
          .join('\n') +
        `\n\n${USAGE}`,
    )
  }
  // Report after withDb has closed everything: fail() exits the process at once.
  const result = await withDb((db) => createStaffAccount(db, null, parsed.data))
  if (!result.ok) {
    fail(
      'Cannot create the admin:\n' +
        Object.entries(result.errors)
          .map(([field, key]) => `  ${field}: ${text('zh', key)}`)
          .join('\n'),
    )
  }
  console.log(`Admin account ${result.accountId} created for ${parsed.data.name}. Log in with the mobile number or ID number.`)
  if (generated) console.log(`Generated password (shown once, change it after logging in):\n${password}`)
}

/** Runs `fn` against the prepared database, then closes it (and stops an embedded cluster it started). */
async function withDb<T>(fn: (db: import('kysely').Kysely<import('#db/schema.ts').Database>) => Promise<T>): Promise<T> {
  const database = await provideDatabase()
  process.env.DATABASE_URL = database.url
  process.env.XUESHI_DATA_KEY = provideDataKey()
  const { createDb } = await import('#app/lib/db.server.ts')
  const { prepareDatabase } = await import('./prepare.ts')
  const db = createDb(database.url, 1)
  try {
    await prepareDatabase(db)
    return await fn(db)
  } finally {
    await db.destroy()
    await database.stop()
  }
}

async function apiClient(args: string[]) {
  const [sub, ...rest] = args
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, region: { type: 'string' }, 'rate-limit': { type: 'string' }, id: { type: 'string' } },
    strict: true,
  })
  const { createApiClient, listApiClients, revokeApiClient } = await import('#app/domain/credit-api/api-clients.server.ts')
  const { HR_SCOPE_CODES, PROVINCE } = await import('#app/domain/shared/reference.ts')
  if (sub === 'create') {
    const region = values.region ?? PROVINCE.code
    if (!values.name?.trim()) fail(`--name is required.\n\n${USAGE}`)
    if (!HR_SCOPE_CODES.includes(region)) fail(`--region must be one of: ${HR_SCOPE_CODES.join(', ')}`)
    const rate = values['rate-limit'] === undefined ? 600 : Number(values['rate-limit'])
    if (!Number.isInteger(rate) || rate < 1) fail('--rate-limit must be a positive whole number (requests per minute)')
    const result = await withDb((db) =>
      db
        .transaction()
        .execute((trx) =>
          createApiClient(trx, { name: values.name!, scopeRegion: region, rateLimitPerMinute: rate, actorAccountId: null }),
        ),
    )
    if (!result.ok) fail(`Cannot create the API client: ${result.code}`)
    console.log(
      `API client ${result.id} "${values.name!.trim()}" created, scope ${region}, ${rate} requests/minute. The key is shown once:`,
    )
    console.log(result.key)
  } else if (sub === 'list') {
    const rows = await withDb((db) => listApiClients(db))
    for (const r of rows) console.log(`${r.id}\t${r.name}\t${r.key_prefix}…\t${r.scope_region}\t${r.revoked_at ? 'revoked' : 'active'}`)
    if (!rows.length) console.log('No API clients.')
  } else if (sub === 'revoke') {
    const id = Number(values.id)
    if (!Number.isInteger(id) || id <= 0) fail(`--id is required.\n\n${USAGE}`)
    const done = await withDb((db) => db.transaction().execute((trx) => revokeApiClient(trx, id, null)))
    console.log(done ? `API client ${id} revoked.` : `No active API client ${id}.`)
    if (!done) process.exitCode = 1
  } else {
    fail(USAGE)
  }
}

const [command, ...rest] = process.argv.slice(2)
switch (command) {
  case 'create-admin':
    await createAdmin(rest)
    break
  case 'api-client':
    await apiClient(rest)
    break
  default:
    fail(command ? `Unknown command: ${command}\n\n${USAGE}` : USAGE)
}

/**
 * `npm run admin -- <command>`: administration from the shell, against the same database
 * `npm start` uses (DATABASE_URL, or the embedded one under .data/).
 *
 *   create-admin --name 王建国 --id-number 220102196512304566 --phone 13900000001 [--password …]
 *       Creates an admin account (the first admin of a real deployment). Without --password a
 *       strong one is generated and printed once.
 */
import { parseArgs } from 'node:util'
import { randomBytes } from 'node:crypto'
import { StaffSchema, fieldErrors } from '#app/domain/accounts.schema.ts'
import { createStaffAccount } from '#app/domain/accounts.server.ts'
import { catalogs } from '#app/lib/i18n.ts'
import { provideDatabase, provideDataKey } from './local-config.ts'

const USAGE = `Usage:
  npm run admin -- create-admin --name NAME --id-number ID --phone MOBILE [--password PASSWORD]`

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
  const parsed = StaffSchema.safeParse({ name: values.name ?? '', idNumber: values['id-number'] ?? '', phone: values.phone ?? '', password, role: 'admin' })
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error)
    fail(
      'Cannot create the admin:\n' +
        Object.entries(errors)
          .map(([field, key]) => `  --${field.replace('idNumber', 'id-number')}: ${catalogs.zh[key as keyof typeof catalogs.zh] ?? key} (${catalogs.en[key as keyof typeof catalogs.en] ?? key})`)
          .join('\n') +
        `\n\n${USAGE}`,
    )
  }
  const database = await provideDatabase()
  process.env.DATABASE_URL = database.url
  process.env.XUESHI_DATA_KEY = provideDataKey()
  const { createDb } = await import('#app/lib/db.server.ts')
  const { prepareDatabase } = await import('./prepare.ts')
  const db = createDb(database.url, 1)
  try {
    await prepareDatabase(db)
    const result = await createStaffAccount(db, null, parsed.data)
    if (!result.ok) {
      fail(
        'Cannot create the admin:\n' +
          Object.entries(result.errors)
            .map(([field, key]) => `  ${field}: ${catalogs.zh[key as keyof typeof catalogs.zh] ?? key}`)
            .join('\n'),
      )
    }
    console.log(`Admin account ${result.accountId} created for ${parsed.data.name}. Log in with the mobile number or ID number.`)
    if (generated) console.log(`Generated password (shown once, change it after logging in):\n${password}`)
  } finally {
    await db.destroy()
    await database.stop()
  }
}

const [command, ...rest] = process.argv.slice(2)
switch (command) {
  case 'create-admin':
    await createAdmin(rest)
    break
  default:
    fail(command ? `Unknown command: ${command}\n\n${USAGE}` : USAGE)
}

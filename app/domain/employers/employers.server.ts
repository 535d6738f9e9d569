import { sql, type Transaction } from 'kysely'

import { audit } from '#app/domain/identity/audit.server.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import type { Database, DB } from '#db/schema.ts'

import { employerFieldErrors, type EmployerInput, EmployerInputSchema } from './employers.schema.ts'
import { normaliseEmployerName } from './names.ts'

/**
 * Employers (工作单位) as an entity (issue 13, migration 0020): a name, an optional unified social
 * credit code and a region. `people.employer` keeps the text the person (or a roster) gave;
 * `people.employer_id` names the employer whose normalised name (names.ts) equals that text's, in
 * the person's own region — an exact key, never a guess, so figures by employer are exact. A text
 * that matches no employer stays text (employer_id null) and is listed for an admin to create.
 * The normalisation lives in TypeScript only: SQL narrows by region and groups distinct texts,
 * the key is compared here, so there is one definition of "the same name".
 */

export type EmployerCode = 'invalid' | 'name_taken' | 'credit_code_taken'
export type CreateEmployerResult = Result<{ employerId: number; matched: number }, EmployerCode, { errors?: Record<string, string[]> }>

/** Creates an employer (admin) and links the people of its region whose employer text has its name. Audited. */
export async function createEmployer(
  trx: Transaction<Database>,
  actor: { accountId: number | null },
  input: EmployerInput,
): Promise<CreateEmployerResult> {
  const parsed = EmployerInputSchema.safeParse(input)
  if (!parsed.success) return err('invalid', { errors: employerFieldErrors(parsed.error) })
  const { name, creditCode, region } = parsed.data
  const nameNorm = normaliseEmployerName(name)
  const taken = await refusal(trx, region, nameNorm, creditCode)
  if (taken) return taken
  // A concurrent duplicate meets a unique constraint: nothing inserted, the transaction stays usable.
  const row = await trx
    .insertInto('employers')
    .values({ name, name_norm: nameNorm, credit_code: creditCode, region_code: region, created_by: actor.accountId })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!row)
    return (await refusal(trx, region, nameNorm, creditCode)) ?? err('name_taken', { errors: { name: ['employers.err.nameTaken'] } })
  const matched = await linkTexts(trx, region, new Map([[nameNorm, row.id]]))
  await audit(trx, {
    actorAccountId: actor.accountId,
    action: 'employer.create',
    targetType: 'employer',
    targetId: row.id,
    detail: { name, region, ...(creditCode ? { creditCode } : {}), matched },
  })
  return ok({ employerId: row.id, matched })
}

async function refusal(trx: Transaction<Database>, region: string, nameNorm: string, creditCode: string | null) {
  const same = await trx
    .selectFrom('employers')
    .select('id')
    .where('region_code', '=', region)
    .where('name_norm', '=', nameNorm)
    .executeTakeFirst()
  if (same) return err('name_taken', { errors: { name: ['employers.err.nameTaken'] } })
  if (creditCode) {
    const code = await trx.selectFrom('employers').select('id').where('credit_code', '=', creditCode).executeTakeFirst()
    if (code) return err('credit_code_taken', { errors: { creditCode: ['employers.err.creditCodeTaken'] } })
  }
  return null
}

/**
 * Links the unlinked people of one region whose employer text normalises to a key of `byNorm`.
 * Distinct texts are compared (far fewer than people), then one update per region. Returns how
 * many people were linked.
 */
async function linkTexts(trx: DB, region: string, byNorm: Map<string, number>): Promise<number> {
  const texts = await trx
    .selectFrom('people')
    .select('employer')
    .distinct()
    .where('region_code', '=', region)
    .where('employer_id', 'is', null)
    .where('employer', 'is not', null)
    .execute()
  const hits: { text: string; id: number }[] = []
  for (const { employer } of texts) {
    const id = employer === null ? undefined : byNorm.get(normaliseEmployerName(employer))
    if (id !== undefined) hits.push({ text: employer!, id })
  }
  if (!hits.length) return 0
  const r = await sql`
    update people p set employer_id = m.id
    from unnest(${hits.map((h) => h.text)}::text[], ${hits.map((h) => h.id)}::bigint[]) as m(text, id)
    where p.region_code = ${region} and p.employer_id is null and p.employer = m.text`.execute(trx)
  return Number(r.numAffectedRows ?? 0)
}

/**
 * Runs the matching over everyone not linked yet (after employers were loaded in bulk, or to
 * catch up): per region, every employer's key against the distinct texts. Returns how many people
 * were linked. Links already made are left alone; a changed text is handled by matchPersonEmployer.
 */
export async function matchAll(db: DB, actor?: { accountId: number | null }): Promise<number> {
  const employers = await db.selectFrom('employers').select(['id', 'region_code', 'name_norm']).execute()
  const byRegion = new Map<string, Map<string, number>>()
  for (const e of employers) {
    const m = byRegion.get(e.region_code) ?? new Map<string, number>()
    m.set(e.name_norm, e.id)
    byRegion.set(e.region_code, m)
  }
  let matched = 0
  for (const [region, byNorm] of byRegion) matched += await linkTexts(db, region, byNorm)
  if (actor && matched > 0)
    await audit(db, { actorAccountId: actor.accountId, action: 'employer.match_all', targetType: 'employer', detail: { matched } })
  return matched
}

/**
 * Sets one person's employer_id from their current region and employer text (call it in the
 * transaction that wrote either): the employer of that region with the same key, or null when
 * none has it (the text is kept). Writes only on a change, so the compliance trigger fires only then.
 */
export async function matchPersonEmployer(trx: Transaction<Database>, personId: number): Promise<number | null> {
  const p = await trx
    .selectFrom('people')
    .select(['region_code', 'employer', 'employer_id'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow()
  const key = p.employer === null ? '' : normaliseEmployerName(p.employer)
  const found =
    p.region_code === null || key === ''
      ? undefined
      : await trx
          .selectFrom('employers')
          .select('id')
          .where('region_code', '=', p.region_code)
          .where('name_norm', '=', key)
          .executeTakeFirst()
  const employerId = found?.id ?? null
  if (employerId !== p.employer_id) await trx.updateTable('people').set({ employer_id: employerId }).where('id', '=', personId).execute()
  return employerId
}

export type EmployerRow = {
  id: number
  name: string
  creditCode: string | null
  regionCode: string
  people: number
  createdAt: Date
}

function likeEscape(v: string): string {
  return v.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/**
 * Employers with how many people are linked to each, by region and name; `q` is a part of the
 * name (compared by its key, so spacing and full-width forms do not matter) or a whole credit code.
 * Returns one more than `limit` rows' worth as `more`.
 */
export async function listEmployers(
  db: DB,
  opts: { region?: string; q?: string; limit?: number } = {},
): Promise<{ rows: EmployerRow[]; more: boolean }> {
  const limit = opts.limit ?? 200
  let q = db
    .selectFrom('employers as e')
    .select((eb) => [
      'e.id',
      'e.name',
      'e.credit_code as creditCode',
      'e.region_code as regionCode',
      'e.created_at as createdAt',
      eb
        .selectFrom('people as p')
        .select((x) => x.fn.countAll<string>().as('n'))
        .whereRef('p.employer_id', '=', 'e.id')
        .as('people'),
    ])
    .orderBy('e.region_code')
    .orderBy('e.name_norm')
    .orderBy('e.id')
    .limit(limit + 1)
  if (opts.region) q = q.where('e.region_code', '=', opts.region)
  const key = opts.q ? normaliseEmployerName(opts.q) : ''
  if (key) q = q.where((eb) => eb.or([eb('e.name_norm', 'like', `%${likeEscape(key)}%`), eb('e.credit_code', '=', key.toUpperCase())]))
  const rows = await q.execute()
  return {
    rows: rows.slice(0, limit).map((r) => ({ ...r, people: Number(r.people ?? 0) })),
    more: rows.length > limit,
  }
}

export type UnmatchedText = {
  regionCode: string
  /** The spelling most people used (the form is prefilled with it). */
  text: string
  /** Every spelling with this key, most used first. */
  spellings: string[]
  people: number
}

/**
 * Employer texts no employer matches, grouped by region and key (spellings that differ only in
 * spacing or full-width forms are one line), most people first. People without a region are left
 * out: an employer belongs to a region, so their text could not be matched anyway. Reads only
 * the most common texts (20 × limit, at least 1,000), enough for the page at any size.
 */
export async function unmatchedEmployerTexts(db: DB, region?: string, limit = 50): Promise<UnmatchedText[]> {
  let q = db
    .selectFrom('people')
    .select(['region_code', 'employer', (eb) => eb.fn.countAll<string>().as('n')])
    .where('employer_id', 'is', null)
    .where('employer', 'is not', null)
    .where('region_code', 'is not', null)
    .groupBy(['region_code', 'employer'])
    .orderBy('n', 'desc')
    .orderBy('region_code')
    .orderBy('employer')
    .limit(Math.max(limit * 20, 1000))
  if (region) q = q.where('region_code', '=', region)
  const groups = new Map<string, { regionCode: string; spellings: { text: string; n: number }[]; people: number }>()
  for (const r of await q.execute()) {
    const norm = normaliseEmployerName(r.employer!)
    if (!norm) continue
    const k = `${r.region_code}\u0001${norm}`
    const g = groups.get(k) ?? { regionCode: r.region_code!, spellings: [], people: 0 }
    g.spellings.push({ text: r.employer!.trim(), n: Number(r.n) })
    g.people += Number(r.n)
    groups.set(k, g)
  }
  return [...groups.values()]
    .sort(
      (a, b) => b.people - a.people || a.regionCode.localeCompare(b.regionCode) || a.spellings[0]!.text.localeCompare(b.spellings[0]!.text),
    )
    .slice(0, limit)
    .map((g) => ({
      regionCode: g.regionCode,
      text: g.spellings[0]!.text,
      spellings: [...new Set(g.spellings.map((s) => s.text))],
      people: g.people,
    }))
}

import { maskedIdNumber } from '#app/domain/identity/pii.server.ts'
import { type HrActor, inScope } from '#app/domain/shared/scope.ts'
import type { Category, DB } from '#db/schema.ts'

import type { FindingSource } from './integrity-forms.ts'

type Person = { personId: number; name: string; idNumberMasked: string; region: string | null }

/** What the new-finding page shows about its source: the person or base, and what earned hours. */
export type SourceView =
  | ({ kind: 'claim'; sourceId: number; title: string; hours: string; occurredOn: string; status: string } & Person)
  | ({ kind: 'entry'; sourceId: number; hours: string; category: Category; occurredAt: string; entryKind: string } & Person)
  | ({ kind: 'roster_row'; sourceId: number; activityId: number; title: string; hours: string } & Person)
  | { kind: 'activity'; activityId: number; title: string; baseId: number; baseName: string; region: string }

const person = (p: { person_id: number; name: string; id_number_enc: Buffer; region_code: string | null }): Person => ({
  personId: p.person_id,
  name: p.name,
  idNumberMasked: maskedIdNumber(p.id_number_enc),
  region: p.region_code,
})

/**
 * The source of a finding as HR may see it: null when there is none, 'out_of_scope' when the
 * person (or base) is not in the officer's region. For a roster row the source id is the row's
 * credit entry, as integrity records keep it.
 */
export async function sourceForHr(db: DB, hr: HrActor, source: FindingSource): Promise<SourceView | 'out_of_scope' | null> {
  let view: SourceView | null = null
  if (source.kind === 'claim') {
    const c = await db
      .selectFrom('external_claims as c')
      .innerJoin('people as p', 'p.id', 'c.person_id')
      .select([
        'c.id',
        'c.title',
        'c.claimed_hours',
        'c.occurred_on',
        'c.status',
        'c.person_id',
        'p.name',
        'p.id_number_enc',
        'p.region_code',
      ])
      .where('c.id', '=', source.id)
      .executeTakeFirst()
    if (c)
      view = {
        kind: 'claim',
        sourceId: c.id,
        title: c.title,
        hours: c.claimed_hours,
        occurredOn: c.occurred_on,
        status: c.status,
        ...person(c),
      }
  } else if (source.kind === 'entry') {
    const e = await db
      .selectFrom('hour_entries as e')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .select([
        'e.id',
        'e.hours',
        'e.category',
        'e.occurred_at',
        'e.source_kind',
        'e.person_id',
        'p.name',
        'p.id_number_enc',
        'p.region_code',
      ])
      .where('e.id', '=', source.id)
      .executeTakeFirst()
    if (e)
      view = {
        kind: 'entry',
        sourceId: e.id,
        hours: e.hours,
        category: e.category,
        occurredAt: new Date(e.occurred_at).toISOString(),
        entryKind: e.source_kind,
        ...person(e),
      }
  } else if (source.kind === 'roster_row') {
    const r = await db
      .selectFrom('activity_credits as c')
      .innerJoin('people as p', 'p.id', 'c.person_id')
      .innerJoin('training_activities as a', 'a.id', 'c.activity_id')
      .select(['c.entry_id', 'c.activity_id', 'c.hours', 'a.title', 'c.person_id', 'p.name', 'p.id_number_enc', 'p.region_code'])
      .where('c.activity_id', '=', source.activityId)
      .where('c.person_id', '=', source.personId)
      .executeTakeFirst()
    if (r) view = { kind: 'roster_row', sourceId: r.entry_id, activityId: r.activity_id, title: r.title, hours: r.hours, ...person(r) }
  } else {
    const a = await db
      .selectFrom('training_activities as a')
      .innerJoin('bases as b', 'b.id', 'a.base_id')
      .select(['a.id', 'a.title', 'b.id as base_id', 'b.name', 'b.region_code'])
      .where('a.id', '=', source.id)
      .executeTakeFirst()
    if (a) view = { kind: 'activity', activityId: a.id, title: a.title, baseId: a.base_id, baseName: a.name, region: a.region_code }
  }
  if (!view) return null
  return inScope(hr.scopeRegion, view.region) ? view : 'out_of_scope'
}

/** Masked ID numbers of people, by person id (the integrity list shows whom a record is about). */
export async function maskedIdsOf(db: DB, personIds: readonly number[]): Promise<Map<number, string>> {
  const ids = [...new Set(personIds)]
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('people').select(['id', 'id_number_enc']).where('id', 'in', ids).execute()
  return new Map(rows.map((r) => [Number(r.id), maskedIdNumber(r.id_number_enc)]))
}

/** Names of the officers behind accounts (who found, who confirmed), by account id. */
export async function officerNamesOf(db: DB, accountIds: readonly (number | null)[]): Promise<Map<number, string>> {
  const ids = [...new Set(accountIds.filter((id): id is number => id !== null).map(Number))]
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('accounts as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['a.id', 'p.name'])
    .where('a.id', 'in', ids)
    .execute()
  return new Map(rows.map((r) => [Number(r.id), r.name]))
}

import { sql, type Transaction } from 'kysely'

import { audit } from '#app/domain/identity/audit.server.ts'
import { maskedIdNumber } from '#app/domain/identity/pii.server.ts'
import { normalizeHours } from '#app/domain/shared/decimal.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { enqueue } from '#app/lib/queue.server.ts'
import type { Database, DB } from '#db/schema.ts'

import { CampaignTextSchema } from './campaigns.schema.ts'
import { campaignChannel, type CampaignMessage, inAppChannel } from './channels.server.ts'
import { type ComplianceFilter, ComplianceFilterSchema, filterToParams } from './filter.ts'
import { checkFilter, type FilterProblem, scopedPeople } from './people.server.ts'

/**
 * Reminder campaigns (ADR 0025): an officer picks people with the one compliance filter, previews
 * who gets what, and sends once; the worker (compliance.campaign_send) delivers in batches, one
 * notice per person per campaign whatever the retries or concurrent runs. A campaign belongs to the
 * scope it was written in: an officer of another scope cannot see it (it does not exist for them).
 *
 * Who receives is the filter as evaluated when each batch is delivered, restricted to people with
 * an account that is not disabled (notices are read by signing in).
 */
type Trx = Transaction<Database>
export type CampaignActor = { accountId: number; scopeRegion: string }

export const SAMPLE_SIZE = 20
export const DELIVERY_BATCH = 500

/** The people a campaign's filter reaches: the filter's people who can read a notice. */
function reachable(db: DB, scopeRegion: string, f: ComplianceFilter) {
  return scopedPeople(db, scopeRegion, f).innerJoin('accounts as a', 'a.person_id', 'cp.person_id').where('a.disabled_at', 'is', null)
}

export async function countReachable(db: DB, scopeRegion: string, f: ComplianceFilter): Promise<number> {
  const r = await reachable(db, scopeRegion, f)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/** A stored filter, read back (a stored filter that no longer parses is a bug: it was checked on the way in). */
function storedFilter(json: Record<string, unknown>): ComplianceFilter {
  return ComplianceFilterSchema.parse(json)
}

export type CreateProblem = FilterProblem | 'bad_filter' | 'title_required' | 'title_too_long' | 'message_required' | 'message_too_long'

/** A draft campaign in the officer's scope. Nothing is written when anything is refused. */
export async function createCampaign(
  db: DB,
  actor: CampaignActor,
  input: { filter: unknown; title: unknown; message: unknown },
  now = new Date(),
): Promise<Result<{ campaignId: number }, CreateProblem, { problems?: string[] }>> {
  const parsed = ComplianceFilterSchema.safeParse(input.filter)
  if (!parsed.success) return err('bad_filter', { problems: [...new Set(parsed.error.issues.map((i) => i.message))] })
  const text = CampaignTextSchema.safeParse({ title: input.title, message: input.message })
  if (!text.success) {
    // The schema's messages are catalog keys; the code is their last part.
    const key = text.error.issues[0]?.message ?? ''
    return err(key.slice(key.lastIndexOf('.') + 1) as CreateProblem)
  }
  const filter = parsed.data
  const checked = await checkFilter(db, actor.scopeRegion, filter, now)
  if (!checked.ok) return err(checked.code)
  const row = await db
    .insertInto('compliance_campaigns')
    .values({
      scope_region: actor.scopeRegion,
      filter: JSON.stringify(Object.fromEntries(filterToParams(filter))),
      title: text.data.title,
      message: text.data.message,
      channel: inAppChannel.kind,
      created_by: actor.accountId,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return ok({ campaignId: Number(row.id) })
}

export type Campaign = NonNullable<Awaited<ReturnType<typeof getCampaign>>>

/** One campaign of the officer's scope, or null (missing, or another scope's). */
export async function getCampaign(db: DB, scopeRegion: string, campaignId: number) {
  const c = await db
    .selectFrom('compliance_campaigns')
    .selectAll()
    .where('id', '=', campaignId)
    .where('scope_region', '=', scopeRegion)
    .executeTakeFirst()
  if (!c) return null
  return { ...c, id: Number(c.id), filter: storedFilter(c.filter) }
}

/** The notice as the learner reads it (its params). */
function messageOf(c: { id: number; title: string; message: string; filter: ComplianceFilter }): CampaignMessage {
  return { campaignId: c.id, title: c.title, message: c.message, year: c.filter.year }
}

export type PreviewPerson = { personId: number; name: string; idNumberMasked: string; regionCode: string; shortTotal: string; met: boolean }

/** Who would get a campaign now: how many, the first people (masked IDs), and the notice they would read. */
export async function previewCampaign(
  db: DB,
  scopeRegion: string,
  campaignId: number,
): Promise<Result<{ count: number; matching: number; sample: PreviewPerson[]; notice: CampaignMessage }, 'not_found'>> {
  const c = await getCampaign(db, scopeRegion, campaignId)
  if (!c) return err('not_found')
  const [count, matching, rows] = await Promise.all([
    countReachable(db, c.scope_region, c.filter),
    scopedPeople(db, c.scope_region, c.filter)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    reachable(db, c.scope_region, c.filter)
      .select(['cp.person_id', 'p.name', 'p.id_number_enc', 'cp.region_code', 'cy.short_total', 'cy.met'])
      .orderBy('cp.person_id')
      .limit(SAMPLE_SIZE)
      .execute(),
  ])
  return ok({
    count,
    matching: Number(matching.n),
    sample: rows.map((r) => ({
      personId: Number(r.person_id),
      name: r.name,
      idNumberMasked: maskedIdNumber(r.id_number_enc),
      regionCode: r.region_code,
      shortTotal: normalizeHours(r.short_total),
      met: r.met,
    })),
    notice: messageOf(c),
  })
}

export type SendProblem = 'not_found' | 'already_sent' | 'no_recipients' | FilterProblem

/**
 * Sends a draft: status 'sending', the number of people it reaches now, who and when, audited, and
 * the delivery job, all in one transaction. A campaign is sent once.
 */
export async function sendCampaign(
  db: DB,
  actor: CampaignActor,
  campaignId: number,
  now = new Date(),
): Promise<Result<{ recipients: number }, SendProblem>> {
  const run = async (trx: Trx): Promise<Result<{ recipients: number }, SendProblem>> => {
    // Serialises two clicks on "send": the second finds the campaign no longer a draft.
    const locked = await trx
      .selectFrom('compliance_campaigns')
      .select(['id', 'status'])
      .where('id', '=', campaignId)
      .where('scope_region', '=', actor.scopeRegion)
      .forUpdate()
      .executeTakeFirst()
    if (!locked) return err('not_found')
    if (locked.status !== 'draft') return err('already_sent')
    const c = (await getCampaign(trx, actor.scopeRegion, campaignId))!
    const checked = await checkFilter(trx, actor.scopeRegion, c.filter, now)
    if (!checked.ok) return err(checked.code)
    const recipients = await countReachable(trx, c.scope_region, c.filter)
    if (recipients === 0) return err('no_recipients')
    await trx
      .updateTable('compliance_campaigns')
      .set({ status: 'sending', recipients_total: recipients, sent_by: actor.accountId, sent_at: now })
      .where('id', '=', campaignId)
      .execute()
    await audit(trx, {
      actorAccountId: actor.accountId,
      action: 'compliance.campaign_send',
      targetType: 'compliance_campaign',
      targetId: campaignId,
      detail: { scope: c.scope_region, filter: Object.fromEntries(filterToParams(c.filter)), recipients, channel: c.channel },
    })
    await enqueue(trx, 'compliance.campaign_send', { campaignId })
    return ok({ recipients })
  }
  return db.isTransaction ? run(db as Trx) : db.transaction().execute(run)
}

export type DeliveryOutcome = { delivered: number; status: 'sent' }

/**
 * The job's work: delivers a sending campaign in batches of people (keyset by person id), each
 * batch in one transaction (recipient rows, the channel's notices, delivery marks), then marks it
 * sent. Idempotent: recipients are keyed (campaign, person) and notices by `campaign:<id>:<person>`,
 * so a retry or a concurrent duplicate run adds nothing twice; a retry resumes after the last
 * batch that committed (every batch below it has committed too: batches run in order).
 */
export async function deliverCampaign(
  db: DB,
  campaignId: number,
  opts: { batchSize?: number; now?: Date } = {},
): Promise<Result<DeliveryOutcome, 'not_found' | 'not_sending'>> {
  const batchSize = opts.batchSize ?? DELIVERY_BATCH
  const row = await db.selectFrom('compliance_campaigns').selectAll().where('id', '=', campaignId).executeTakeFirst()
  if (!row) return err('not_found')
  if (row.status === 'sent') return ok({ delivered: 0, status: 'sent' })
  if (row.status !== 'sending') return err('not_sending')
  const c = { ...row, id: Number(row.id), filter: storedFilter(row.filter) }
  const channel = campaignChannel(c.channel)
  if (!channel) throw new Error(`campaign ${campaignId}: unknown channel ${c.channel}`)
  const message = messageOf(c)
  const resume = await db
    .selectFrom('compliance_campaign_recipients')
    .select((eb) => eb.fn.max('person_id').as('last'))
    .where('campaign_id', '=', campaignId)
    .where('delivered_at', 'is not', null)
    .executeTakeFirst()
  let cursor = resume?.last == null ? 0 : Number(resume.last)
  let delivered = 0
  for (;;) {
    const ids = await db.transaction().execute(async (trx) => {
      const batch = (
        await reachable(trx, c.scope_region, c.filter)
          .select('cp.person_id')
          .where('cp.person_id', '>', cursor)
          .orderBy('cp.person_id')
          .limit(batchSize)
          .execute()
      ).map((r) => Number(r.person_id))
      if (batch.length === 0) return batch
      // In person-id order, as every run does: concurrent runs wait on each other's rows, never deadlock.
      await trx
        .insertInto('compliance_campaign_recipients')
        .values(batch.map((personId) => ({ campaign_id: campaignId, person_id: personId })))
        .onConflict((oc) => oc.columns(['campaign_id', 'person_id']).doNothing())
        .execute()
      const reached = await channel.deliver(trx, message, batch)
      const persons = [...reached.keys()]
      const refs = persons.map((p) => reached.get(p)!)
      const marked = await sql`
        update compliance_campaign_recipients r set notice_id = v.notice_id, delivered_at = ${opts.now ?? new Date()}
        from (select unnest(${persons}::bigint[]) as person_id, unnest(${refs}::bigint[]) as notice_id) v
        where r.campaign_id = ${campaignId} and r.person_id = v.person_id and r.delivered_at is null`.execute(trx)
      delivered += Number(marked.numAffectedRows ?? 0n)
      return batch
    })
    if (ids.length > 0) cursor = ids[ids.length - 1]!
    if (ids.length < batchSize) break
  }
  await db
    .updateTable('compliance_campaigns')
    .set({ status: 'sent', finished_at: opts.now ?? new Date() })
    .where('id', '=', campaignId)
    .where('status', '=', 'sending')
    .execute()
  return ok({ delivered, status: 'sent' })
}

export type CampaignStats = { recipients: number; delivered: number; read: number }

function statsQuery(db: DB) {
  return db
    .selectFrom('compliance_campaign_recipients as r')
    .leftJoin('notices as n', 'n.id', 'r.notice_id')
    .select((eb) => [
      eb.fn.countAll<string>().as('recipients'),
      eb.fn.count<string>('r.delivered_at').as('delivered'),
      eb.fn.count<string>('n.read_at').as('read'),
    ])
}

/** How far a campaign got: recipient rows, delivered, read (null: not the officer's campaign). */
export async function campaignStats(db: DB, scopeRegion: string, campaignId: number): Promise<CampaignStats | null> {
  const c = await db
    .selectFrom('compliance_campaigns')
    .select('id')
    .where('id', '=', campaignId)
    .where('scope_region', '=', scopeRegion)
    .executeTakeFirst()
  if (!c) return null
  const s = await statsQuery(db).where('r.campaign_id', '=', campaignId).executeTakeFirstOrThrow()
  return { recipients: Number(s.recipients), delivered: Number(s.delivered), read: Number(s.read) }
}

/** The scope's campaigns, newest first, with their figures. */
export async function listCampaigns(db: DB, scopeRegion: string, limit = 100) {
  const rows = await db
    .selectFrom('compliance_campaigns as c')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('compliance_campaign_recipients as r')
          .leftJoin('notices as n', 'n.id', 'r.notice_id')
          .whereRef('r.campaign_id', '=', 'c.id')
          .select((e) => [
            e.fn.countAll<string>().as('recipients'),
            e.fn.count<string>('r.delivered_at').as('delivered'),
            e.fn.count<string>('n.read_at').as('read'),
          ])
          .as('s'),
      (j) => j.onTrue(),
    )
    .select([
      'c.id',
      'c.title',
      'c.filter',
      'c.status',
      'c.recipients_total',
      'c.created_at',
      'c.sent_at',
      's.recipients',
      's.delivered',
      's.read',
    ])
    .where('c.scope_region', '=', scopeRegion)
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    title: r.title,
    filter: storedFilter(r.filter),
    status: r.status,
    recipientsTotal: r.recipients_total,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    recipients: Number(r.recipients ?? 0),
    delivered: Number(r.delivered ?? 0),
    read: Number(r.read ?? 0),
  }))
}

export type ReminderGap = { met: boolean; shortProfessional: string; shortPublic: string; shortTotal: string }

/** A learner's own standing in the CE years their reminders are about (as last computed). */
export async function reminderGaps(db: DB, personId: number, years: readonly number[]): Promise<Map<number, ReminderGap>> {
  const out = new Map<number, ReminderGap>()
  if (years.length === 0) return out
  const rows = await db
    .selectFrom('compliance_person_years')
    .select(['ce_year', 'met', 'short_professional', 'short_public', 'short_total'])
    .where('person_id', '=', personId)
    .where('ce_year', 'in', [...new Set(years)])
    .execute()
  for (const r of rows)
    out.set(r.ce_year, {
      met: r.met,
      shortProfessional: normalizeHours(r.short_professional),
      shortPublic: normalizeHours(r.short_public),
      shortTotal: normalizeHours(r.short_total),
    })
  return out
}

/** Employers' names for filter summaries. */
export async function employerNames(db: DB, ids: readonly number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return new Map()
  const rows = await db.selectFrom('employers').select(['id', 'name']).where('id', 'in', unique).execute()
  return new Map(rows.map((r) => [Number(r.id), r.name]))
}

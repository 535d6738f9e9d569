import { chinaDay } from '#app/domain/bases/events.server.ts'
import { CERTIFICATE_ISSUER, type SeminarCompletionFacts } from '#app/domain/hours/certificates/certificate.ts'
import { requestCompletionCertificate } from '#app/domain/hours/certificates/certificates.server.ts'
import { credit, reverse } from '#app/domain/hours/ledger.server.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import { maskedIdNumber } from '#app/domain/identity/pii.server.ts'
import { seminarPolicyOn } from '#app/domain/policy/seminars-policy.server.ts'
import { normalizeHours, toCents } from '#app/domain/shared/decimal.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { getEnv } from '#app/lib/env.server.ts'
import type { CertificateStatus, DB } from '#db/schema.ts'

import { attendedHours, meetsCompletion } from './blocks.ts'
import { blocksOfSeminar } from './plan.server.ts'

/**
 * Finalising a seminar's attendance (结业): once the last half-day block has ended, the host base
 * turns what seminar_attendance says (signed in and out, or marked by staff) into hours in the
 * ledger, once per participant and revision, and issues completion certificates (结业证书) to
 * those who met the policy's share of blocks. A later correction is finalised again: a changed
 * outcome reverses the previous entry and credits a new one; an unchanged one is left alone.
 */

export type HostStaff = { accountId: number; baseId: number }
export type FinaliseCode = 'not_found' | 'not_host' | 'not_over' | 'no_blocks'
export type FinaliseOutcome = { revision: number; credited: number; reversed: number; unchanged: number; certificates: number }

const LIVE_CERTIFICATE: CertificateStatus[] = ['pending', 'ready']

/** The blocks an entry's evidence names (what counted at the revision that credited it). */
function evidenceBlocks(evidence: unknown): number[] {
  const blocks = (evidence as { blocks?: unknown } | null)?.blocks
  return Array.isArray(blocks) ? blocks.filter((b): b is number => typeof b === 'number') : []
}

const sameIds = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i])

export async function finaliseAttendance(
  db: DB,
  staff: HostStaff,
  seminarId: number,
  now: Date,
  opts: { baseUrl?: string } = {},
): Promise<Result<FinaliseOutcome, FinaliseCode>> {
  const baseUrl = opts.baseUrl ?? getEnv().XUESHI_PUBLIC_URL ?? 'http://localhost:3000'
  return db.transaction().execute(async (trx): Promise<Result<FinaliseOutcome, FinaliseCode>> => {
    // Locked: two finalisations of one seminar run one after the other, the second seeing the first's results.
    const seminar = await trx
      .selectFrom('seminars')
      .select(['id', 'host_base_id', 'status', 'title', 'level', 'category', 'start_date', 'end_date', 'attendance_revision'])
      .where('id', '=', seminarId)
      .where('status', 'in', ['published', 'finished'])
      .forUpdate()
      .executeTakeFirst()
    if (!seminar) return err('not_found')
    if (seminar.host_base_id !== staff.baseId) return err('not_host')
    const blocks = await blocksOfSeminar(trx, seminarId)
    if (blocks.length === 0) return err('no_blocks')
    const lastEnd = new Date(Math.max(...blocks.map((b) => new Date(b.ends_at).getTime())))
    if (now < lastEnd) return err('not_over')

    const policy = seminarPolicyOn(seminar.start_date)
    const revision = seminar.attendance_revision + 1
    const blockIds = blocks.map((b) => b.id)
    const [participants, attendance, previous, liveCertificates, host] = await Promise.all([
      trx
        .selectFrom('seminar_registrations as r')
        .innerJoin('people as p', 'p.id', 'r.person_id')
        .select(['r.person_id', 'p.name', 'p.id_number_enc'])
        .where('r.seminar_id', '=', seminarId)
        .where('r.status', '=', 'confirmed')
        .orderBy('r.person_id')
        .execute(),
      trx
        .selectFrom('seminar_attendance')
        .select(['block_id', 'person_id'])
        .where('block_id', 'in', blockIds)
        .where('attended', '=', true)
        .execute(),
      trx
        .selectFrom('seminar_results as sr')
        .leftJoin('hour_entries as e', 'e.id', 'sr.entry_id')
        .select(['sr.person_id', 'sr.hours', 'sr.completed', 'sr.blocks_attended', 'sr.blocks_total', 'sr.entry_id', 'e.evidence'])
        .where('sr.seminar_id', '=', seminarId)
        .execute(),
      trx
        .selectFrom('certificates')
        .select('person_id')
        .where('seminar_id', '=', seminarId)
        .where('kind', '=', 'seminar_completion')
        .where('status', 'in', LIVE_CERTIFICATE)
        .execute(),
      trx.selectFrom('bases').select('name').where('id', '=', seminar.host_base_id).executeTakeFirstOrThrow(),
    ])
    const attendedBy = new Map<number, Set<number>>()
    for (const a of attendance) {
      const set = attendedBy.get(a.person_id) ?? new Set<number>()
      set.add(a.block_id)
      attendedBy.set(a.person_id, set)
    }
    const previousOf = new Map(previous.map((p) => [p.person_id, p]))
    const certified = new Set(liveCertificates.map((c) => c.person_id))
    const issuedOn = chinaDay(now)
    const sourceRef = `seminar:${seminarId}`
    const counts = { credited: 0, reversed: 0, unchanged: 0, certificates: 0 }

    for (const p of participants) {
      const set = attendedBy.get(p.person_id) ?? new Set<number>()
      const attendedIds = blockIds.filter((id) => set.has(id))
      const hours = attendedHours(blocks.map((b) => ({ creditHours: normalizeHours(b.credit_hours), attended: set.has(b.id) })))
      const completed = meetsCompletion(attendedIds.length, blocks.length, policy.completionMinShare)
      const prev = previousOf.get(p.person_id)
      const unchanged =
        prev !== undefined &&
        toCents(normalizeHours(prev.hours)) === toCents(hours) &&
        prev.completed === completed &&
        prev.blocks_attended === attendedIds.length &&
        prev.blocks_total === blocks.length &&
        (prev.entry_id === null || sameIds(evidenceBlocks(prev.evidence), attendedIds))
      let entryId = prev?.entry_id ?? null
      if (unchanged) {
        counts.unchanged++
      } else {
        if (prev?.entry_id != null) {
          await reverse(trx, {
            entryId: prev.entry_id,
            reason: `研修班出勤更正（第 ${revision} 次结算） seminar attendance corrected, revision ${revision}`,
            actorAccountId: staff.accountId,
            personId: p.person_id,
          })
          counts.reversed++
        }
        entryId = null
        if (toCents(hours) > 0) {
          const { entry, created } = await credit(trx, {
            personId: p.person_id,
            category: seminar.category,
            hours,
            sourceKind: 'seminar',
            sourceRef,
            evidence: { seminarId, title: seminar.title, blocks: attendedIds, revision },
            idempotencyKey: `seminar:${seminarId}:person:${p.person_id}:rev:${revision}`,
            occurredAt: lastEnd,
            createdBy: staff.accountId,
          })
          entryId = entry.id
          if (created) counts.credited++
        }
        const values = {
          revision,
          blocks_attended: attendedIds.length,
          blocks_total: blocks.length,
          hours,
          completed,
          entry_id: entryId,
          updated_at: now,
        }
        await trx
          .insertInto('seminar_results')
          .values({ seminar_id: seminarId, person_id: p.person_id, ...values })
          .onConflict((oc) => oc.columns(['seminar_id', 'person_id']).doUpdateSet(values))
          .execute()
      }
      if (completed && !certified.has(p.person_id)) {
        const facts: SeminarCompletionFacts = {
          kind: 'seminar_completion',
          name: p.name,
          idNumberMasked: maskedIdNumber(p.id_number_enc),
          seminarTitle: seminar.title,
          level: seminar.level,
          hostBaseName: host.name,
          startDate: seminar.start_date,
          endDate: seminar.end_date,
          category: seminar.category,
          hours,
          blocksAttended: attendedIds.length,
          blocksTotal: blocks.length,
          issuer: CERTIFICATE_ISSUER,
          issuedOn,
          policyVersion: policy.version,
        }
        await requestCompletionCertificate(trx, p.person_id, seminarId, facts, baseUrl)
        counts.certificates++
      }
    }

    await trx
      .updateTable('seminars')
      .set({ finalised_at: now, finalised_by: staff.accountId, attendance_revision: revision, status: 'finished' })
      .where('id', '=', seminarId)
      .execute()
    await audit(trx, {
      actorAccountId: staff.accountId,
      action: 'seminar.attendance_finalised',
      targetType: 'seminar',
      targetId: seminarId,
      detail: { revision, participants: participants.length, ...counts },
    })
    return ok({ revision, ...counts })
  })
}

const CHINA_HOUR = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' })

/** A block as people name it: its China day and 上午/下午. */
export function blockLabel(startsAt: Date): { day: string; part: 'morning' | 'afternoon' } {
  return { day: chinaDay(startsAt), part: Number(CHINA_HOUR.format(startsAt)) < 12 ? 'morning' : 'afternoon' }
}

export type CertificateRef = { id: number; code: string; status: CertificateStatus }

/** The newest completion certificate per person of a seminar (live ones before failed ones). */
async function completionCertificates(db: DB, seminarId: number, personId?: number): Promise<Map<number, CertificateRef>> {
  let q = db
    .selectFrom('certificates')
    .select(['id', 'code', 'status', 'person_id'])
    .where('seminar_id', '=', seminarId)
    .where('kind', '=', 'seminar_completion')
  if (personId !== undefined) q = q.where('person_id', '=', personId)
  const rows = await q.orderBy('id', 'asc').execute()
  const out = new Map<number, CertificateRef>()
  for (const r of rows) {
    const had = out.get(r.person_id)
    if (had && had.status !== 'failed' && r.status === 'failed') continue
    out.set(r.person_id, { id: r.id, code: r.code, status: r.status })
  }
  return out
}

/**
 * The host's view of a seminar's outcome: per confirmed participant the blocks attended now, what
 * the last finalisation credited and whether they completed, and their certificate. With
 * `hostBaseId`, a seminar of another base is not found (null).
 */
export async function seminarResults(db: DB, seminarId: number, hostBaseId?: number) {
  let sq = db
    .selectFrom('seminars')
    .select(['id', 'title', 'level', 'start_date', 'end_date', 'host_base_id', 'status', 'finalised_at', 'attendance_revision'])
    .where('id', '=', seminarId)
    .where('status', 'in', ['published', 'finished'])
  if (hostBaseId !== undefined) sq = sq.where('host_base_id', '=', hostBaseId)
  const seminar = await sq.executeTakeFirst()
  if (!seminar) return null
  const blocks = await blocksOfSeminar(db, seminarId)
  const blockIds = blocks.length > 0 ? blocks.map((b) => b.id) : [0]
  const [people, attended, results, certificates, latest] = await Promise.all([
    db
      .selectFrom('seminar_registrations as r')
      .innerJoin('people as p', 'p.id', 'r.person_id')
      .select(['r.person_id', 'p.name', 'p.id_number_enc'])
      .where('r.seminar_id', '=', seminarId)
      .where('r.status', '=', 'confirmed')
      .orderBy('r.waitlist_seq')
      .execute(),
    db
      .selectFrom('seminar_attendance')
      .select((eb) => ['person_id', eb.fn.countAll<string>().as('n')])
      .where('block_id', 'in', blockIds)
      .where('attended', '=', true)
      .groupBy('person_id')
      .execute(),
    db
      .selectFrom('seminar_results')
      .select(['person_id', 'revision', 'blocks_attended', 'hours', 'completed'])
      .where('seminar_id', '=', seminarId)
      .execute(),
    completionCertificates(db, seminarId),
    db
      .selectFrom('seminar_attendance')
      .select((eb) => eb.fn.max('updated_at').as('at'))
      .where('block_id', 'in', blockIds)
      .executeTakeFirst(),
  ])
  const attendedOf = new Map(attended.map((a) => [a.person_id, Number(a.n)]))
  const resultOf = new Map(results.map((r) => [r.person_id, r]))
  const lastEnd = blocks.length > 0 ? new Date(Math.max(...blocks.map((b) => new Date(b.ends_at).getTime()))) : null
  const finalisedAt = seminar.finalised_at ? new Date(seminar.finalised_at) : null
  const changedAt = latest?.at ? new Date(latest.at) : null
  return {
    seminar: {
      id: seminar.id,
      title: seminar.title,
      level: seminar.level,
      startDate: seminar.start_date,
      endDate: seminar.end_date,
      status: seminar.status,
      revision: seminar.attendance_revision,
      finalisedAt,
      lastBlockEndsAt: lastEnd,
      blocksTotal: blocks.length,
      /** Attendance was corrected after the last finalisation: finalising again would change results. */
      changedSinceFinalised: finalisedAt !== null && changedAt !== null && changedAt > finalisedAt,
    },
    participants: people.map((p) => {
      const r = resultOf.get(p.person_id)
      return {
        personId: p.person_id,
        name: p.name,
        idNumberMasked: maskedIdNumber(p.id_number_enc),
        attendedNow: attendedOf.get(p.person_id) ?? 0,
        result: r
          ? { revision: r.revision, blocksAttended: r.blocks_attended, hours: normalizeHours(r.hours), completed: r.completed }
          : null,
        certificate: certificates.get(p.person_id) ?? null,
      }
    }),
  }
}

/**
 * A participant's own outcome of a finalised seminar: each block and whether it counted (as
 * credited at the latest revision), the hours credited, completion and the certificate. Null
 * before the seminar is finalised for them.
 */
export async function myResult(db: DB, personId: number, seminarId: number) {
  const result = await db
    .selectFrom('seminar_results as sr')
    .leftJoin('hour_entries as e', 'e.id', 'sr.entry_id')
    .select(['sr.revision', 'sr.blocks_attended', 'sr.blocks_total', 'sr.hours', 'sr.completed', 'sr.entry_id', 'e.evidence'])
    .where('sr.seminar_id', '=', seminarId)
    .where('sr.person_id', '=', personId)
    .executeTakeFirst()
  if (!result) return null
  const [blocks, certificates] = await Promise.all([blocksOfSeminar(db, seminarId), completionCertificates(db, seminarId, personId)])
  const counted = new Set(result.entry_id === null ? [] : evidenceBlocks(result.evidence))
  return {
    revision: result.revision,
    blocks: blocks.map((b) => ({ id: b.id, ...blockLabel(new Date(b.starts_at)), attended: counted.has(b.id) })),
    blocksAttended: result.blocks_attended,
    blocksTotal: result.blocks_total,
    hours: normalizeHours(result.hours),
    completed: result.completed,
    certificate: certificates.get(personId) ?? null,
  }
}

/** Whether a seminar (published or finished) is hosted by this base: another base's seminar does not exist for its staff. */
export async function hostsSeminar(db: DB, baseId: number, seminarId: number): Promise<boolean> {
  const row = await db
    .selectFrom('seminars')
    .select('id')
    .where('id', '=', seminarId)
    .where('host_base_id', '=', baseId)
    .where('status', 'in', ['published', 'finished'])
    .executeTakeFirst()
  return row !== undefined
}

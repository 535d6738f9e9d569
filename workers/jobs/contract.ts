import type { JobsOptions } from 'bullmq'
import { z } from 'zod'

/**
 * The queue contract shared by producers (`enqueue` in app/lib/queue.server.ts, the outbox relay)
 * and processors: queues, job names, payload schemas (validated again when processed), options
 * and the business key each job's BullMQ id is made from. Lightweight on purpose (zod only, no
 * domain code, no pdfkit): the web process imports it. Each job's processor lives in
 * `workers/jobs/<job>.ts`, registered in `workers/jobs/index.ts`.
 *
 * Job names are stored in `outbox.job_name` and in BullMQ: never rename one that may be in flight.
 */

/**
 * Queues per workload, each with its own BullMQ Worker, so a burst of PDF renders never holds up
 * notices.
 */
export const QUEUES = {
  /** Small database writes (in-app notices): I/O-bound, so several at once. */
  notices: { concurrency: 8 },
  /**
   * PDF rendering: CPU-bound in the worker's thread (pdfkit, CJK font subsetting). Two at once
   * lets one render's database reads and writes overlap the other's drawing; more would only queue
   * behind the same event loop and delay lock renewal.
   */
  pdf: { concurrency: 2 },
  /**
   * Roster and legacy imports (parse, validate, stage with COPY; commit set-based): one at a time
   * per worker, so a 200,000-row file's memory is the most a worker holds (ADR 0021).
   */
  imports: { concurrency: 1 },
} as const satisfies Record<string, { concurrency: number }>

export type QueueName = keyof typeof QUEUES
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[]

/** Options the relay passes to `Queue.add`; the job id is made by `jobIdFor`, never set here. */
type JobOptions = Pick<JobsOptions, 'attempts' | 'backoff' | 'removeOnComplete' | 'removeOnFail'>

type JobDefinition<N extends string, S extends z.ZodTypeAny> = {
  name: N
  queue: QueueName
  schema: S
  options: JobOptions
  /**
   * How long after a dispatch the job must have completed. Past it the relay's reconciler looks
   * again: a job still in BullMQ (waiting, delayed for a retry, running) gets more time; a job
   * Redis lost, or one failed after stalling, is sent again (ADR 0016). Longer than a backlog
   * normally takes to drain, so a busy queue costs one state look-up per row, not a re-send.
   */
  redispatchAfterMs: number
  /** The business key (what the job is about), part of its BullMQ id. No `:` (BullMQ's separator). */
  key: (payload: z.infer<S>) => string
  /**
   * When the job should run, if not at once: the relay adds it to BullMQ with the delay until then
   * (a job whose time has passed runs at once). The processor still checks the date itself.
   */
  runAt?: (payload: z.infer<S>) => Date
}

function defineJob<const N extends string, S extends z.ZodTypeAny>(def: JobDefinition<N, S>) {
  return {
    ...def,
    /** The business key of a stored payload, or null when it does not match the schema. */
    keyOf(data: unknown): string | null {
      const parsed = def.schema.safeParse(data)
      return parsed.success ? def.key(parsed.data) : null
    },
    /** Milliseconds to delay a stored payload by at `now`; 0 when it runs at once or does not parse. */
    delayOf(data: unknown, now: Date): number {
      if (!def.runAt) return 0
      const parsed = def.schema.safeParse(data)
      return parsed.success ? Math.max(0, def.runAt(parsed.data).getTime() - now.getTime()) : 0
    },
  }
}

/** Completed jobs are kept a day (for looking one up), failed ones a week (for diagnosis). */
const RETENTION = {
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} satisfies JobOptions

const id = z.number().int().positive()

/** After registration: the welcome notice shown on 我的账户. */
const noticeWelcome = defineJob({
  name: 'notice.welcome',
  queue: 'notices',
  schema: z.object({ personId: id, accountId: id }),
  options: { attempts: 5, backoff: { type: 'exponential', delay: 2000 }, ...RETENTION },
  redispatchAfterMs: 2 * 60_000,
  key: (p) => `account-${p.accountId}`,
})

/**
 * Renders an hours certificate (学时证明) PDF into its row. `baseUrl` is the public origin the
 * request came from, so the worker can print the verification URL without knowing it. A rendering
 * error marks the certificate failed (a retry would fail the same way), so the retries here are
 * for database or Redis trouble only.
 */
const certificateRender = defineJob({
  name: 'certificate.render',
  queue: 'pdf',
  schema: z.object({
    certificateId: id,
    baseUrl: z
      .string()
      .max(200)
      .url()
      .refine((u) => /^https?:\/\/[^/?#]+$/.test(u), 'must be an origin such as https://example.org'),
  }),
  options: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, ...RETENTION },
  redispatchAfterMs: 5 * 60_000,
  key: (p) => `certificate-${p.certificateId}`,
})

/**
 * Reminds a base's staff that a rectification (整改) deadline approaches. Enqueued in the
 * transaction that opens the case and delayed in BullMQ until the reminder day (08:00 China time);
 * the processor sends nothing if the case was closed or answered meanwhile, or if the reminder
 * day moved (a newer job carries the new day). Its reconciler deadline counts from the dispatch,
 * and a job still delayed in BullMQ simply gets more time (ADR 0016), so a long delay costs one
 * state look-up per reconciler pass, never a duplicate.
 */
const baseRectificationReminder = defineJob({
  name: 'base.rectification_reminder',
  queue: 'notices',
  schema: z.object({ caseId: id, remindOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
  options: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, ...RETENTION },
  redispatchAfterMs: 6 * 3600_000,
  key: (p) => `case-${p.caseId}-${p.remindOn}`,
  runAt: (p) => new Date(`${p.remindOn}T08:00:00+08:00`),
})

/**
 * The training bases' daily run for a China day: records the designation of every base whose
 * public notice is over and tells bases whose rectification deadline passed unanswered. Enqueued
 * once a day by the worker's clock (workers/daily.ts); idempotent, so a second run of a day, or a
 * run a day late after an outage, changes nothing twice.
 */
const baseDaily = defineJob({
  name: 'base.daily',
  queue: 'notices',
  schema: z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
  options: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, ...RETENTION },
  redispatchAfterMs: 30 * 60_000,
  key: (p) => `day-${p.day}`,
})

/** Parses and validates an uploaded roster or legacy file into import_rows (import engine, ADR 0021). */
const importStage = defineJob({
  name: 'import.stage',
  queue: 'imports',
  schema: z.object({ importId: id }),
  options: { attempts: 3, backoff: { type: 'exponential', delay: 10_000 }, ...RETENTION },
  redispatchAfterMs: 15 * 60_000,
  key: (p) => `import-${p.importId}`,
})

/** Commits a staged import the uploader chose to commit: people, ledger credits and reversals, one transaction. */
const importCommit = defineJob({
  name: 'import.commit',
  queue: 'imports',
  schema: z.object({ importId: id }),
  options: { attempts: 5, backoff: { type: 'exponential', delay: 10_000 }, ...RETENTION },
  redispatchAfterMs: 15 * 60_000,
  key: (p) => `import-${p.importId}`,
})

/**
 * Fills a seminar's freed seats from its waitlist, earliest arrival first (auto-confirm or a timed
 * offer, as the seminar chose). Enqueued in the transaction of every cancel, decline and expiry;
 * idempotent and serialised per seminar by the seminar row's lock, so two runs serve each seat once.
 */
const seminarPromote = defineJob({
  name: 'seminar.promote',
  queue: 'notices',
  schema: z.object({ seminarId: id }),
  options: { attempts: 5, backoff: { type: 'exponential', delay: 2000 }, ...RETENTION },
  redispatchAfterMs: 2 * 60_000,
  key: (p) => `seminar-${p.seminarId}`,
})

/**
 * Expires a seminar's waitlist offers that ran out, then promotes the next people. Enqueued with
 * each offer and delayed in BullMQ until the offer's expiry (as base.rectification_reminder), so
 * an offer ends on time without a periodic scan; the processor expires whatever is due then.
 */
const seminarExpireOffers = defineJob({
  name: 'seminar.expire_offers',
  queue: 'notices',
  schema: z.object({ seminarId: id, at: z.string().datetime({ offset: true }) }),
  options: { attempts: 5, backoff: { type: 'exponential', delay: 10_000 }, ...RETENTION },
  redispatchAfterMs: 6 * 3600_000,
  key: (p) => `seminar-${p.seminarId}-${Date.parse(p.at)}`,
  runAt: (p) => new Date(p.at),
})

/**
 * Confirms a seminar's registrations whose HR approval is overdue (silence counts as consent, policy
 * `approvalDays`). Enqueued whenever a registration starts waiting for approval, delayed in BullMQ
 * until its due time (as seminar.expire_offers); the daily run sweeps all seminars as well, so a
 * lost delayed job is caught within a day. Idempotent: only what is still pending and due changes.
 */
const seminarApprovalDeadline = defineJob({
  name: 'seminar.approval_deadline',
  queue: 'notices',
  schema: z.object({ seminarId: id, at: z.string().datetime({ offset: true }) }),
  options: { attempts: 5, backoff: { type: 'exponential', delay: 10_000 }, ...RETENTION },
  redispatchAfterMs: 6 * 3600_000,
  key: (p) => `seminar-${p.seminarId}-${Date.parse(p.at)}`,
  runAt: (p) => new Date(p.at),
})

/**
 * Builds a compliance export file (XLSX or CSV) of the people behind a figure, streaming, with
 * progress in its row (ADR 0025). On the `imports` queue: one heavy file job at a time per worker.
 */
const complianceExport = defineJob({
  name: 'compliance.export',
  queue: 'imports',
  schema: z.object({ exportId: id }),
  options: { attempts: 3, backoff: { type: 'exponential', delay: 10_000 }, ...RETENTION },
  redispatchAfterMs: 30 * 60_000,
  key: (p) => `export-${p.exportId}`,
})

/** Sends a reminder campaign's notices, one per person per campaign, in batches (ADR 0025). */
const complianceCampaignSend = defineJob({
  name: 'compliance.campaign_send',
  queue: 'notices',
  schema: z.object({ campaignId: id }),
  options: { attempts: 8, backoff: { type: 'exponential', delay: 5_000 }, ...RETENTION },
  redispatchAfterMs: 15 * 60_000,
  key: (p) => `campaign-${p.campaignId}`,
})

const DEFINITIONS = [
  noticeWelcome,
  certificateRender,
  baseRectificationReminder,
  baseDaily,
  importStage,
  importCommit,
  seminarPromote,
  seminarExpireOffers,
  seminarApprovalDeadline,
  complianceExport,
  complianceCampaignSend,
] as const
type Definition = (typeof DEFINITIONS)[number]

export type JobName = Definition['name']
/** Every job by name, keyed by its own `name`, so a key and a name can never disagree. */
export const JOBS = Object.fromEntries(DEFINITIONS.map((d) => [d.name, d])) as { [D in Definition as D['name']]: D }
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['schema']>

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name)
}

/**
 * The BullMQ job id: the job's name and business key, plus when it was enqueued (the outbox row's
 * `created_at`). Stable for one outbox row, so a row relayed twice (crash between add and commit)
 * is one job; the enqueue time keeps a recreated database, whose ids start again at 1, from
 * colliding with jobs Redis still keeps. Two rows for the same business key make two jobs, which
 * the idempotent processors absorb.
 */
export function jobIdFor(name: JobName, payload: unknown, enqueuedAt: Date): string {
  // An invalid payload still gets an id stable for its row; its processor refuses it, unretried.
  const key = JOBS[name].keyOf(payload) ?? 'invalid'
  return `${name}-${key}-${enqueuedAt.getTime()}`
}

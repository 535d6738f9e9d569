import { z } from 'zod'
import type { JobsOptions } from 'bullmq'

/**
 * The queue contract shared by producers (the outbox relay) and processors: job names, their
 * payload schemas (validated again when processed) and default options.
 */
export const QUEUES = ['notices'] as const
export type QueueName = (typeof QUEUES)[number]

const defaults: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
}

export const JOBS = {
  /** After registration: the welcome notice shown on 我的账户. */
  'notice.welcome': {
    queue: 'notices',
    schema: z.object({ personId: z.number().int().positive(), accountId: z.number().int().positive() }),
    options: defaults,
  },
  /**
   * Renders an hours certificate (学时证明) PDF into its row. `baseUrl` is the public origin the
   * request came from, so the worker can print the verification URL without knowing it. Runs on
   * the existing queue: a separate one would need the relay's callers to pass one more queue.
   */
  'certificate.render': {
    queue: 'notices',
    schema: z.object({
      certificateId: z.number().int().positive(),
      baseUrl: z
        .string()
        .max(200)
        .url()
        .refine((u) => /^https?:\/\/[^/?#]+$/.test(u), 'must be an origin such as https://example.org'),
    }),
    options: defaults,
  },
} as const satisfies Record<string, { queue: QueueName; schema: z.ZodTypeAny; options: JobsOptions }>

export type JobName = keyof typeof JOBS
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['schema']>

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name)
}

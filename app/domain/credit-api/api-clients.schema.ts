import { z } from 'zod'

/**
 * The API-client page's forms (admin): create a client, or revoke one. Messages are catalog keys,
 * translated where they are shown. The scope is checked against the known scopes by
 * `createApiClient`.
 */
const id = z
  .string()
  .regex(/^[1-9]\d{0,15}$/)
  .transform(Number)

export const ApiClientActionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('create'),
    name: z.string({ required_error: 'admin.api.err.name' }).trim().min(1, 'admin.api.err.name').max(100, 'admin.api.err.name'),
    scopeRegion: z.string({ required_error: 'err.choice' }).min(1, 'err.choice'),
    // Requests per minute; 600 when the field is left out.
    rateLimit: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const n = Number(v ?? '600')
        if (!Number.isInteger(n) || n < 1 || n > 100_000) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'admin.api.err.rate' })
          return z.NEVER
        }
        return n
      }),
  }),
  z.object({ intent: z.literal('revoke'), clientId: id }),
])

import { z } from 'zod'

import { mobileField } from '#app/domain/identity/accounts.schema.ts'

/** The base staff page (`/base/staff`) and the invitee's answer (`/account/base-invitations`). */
const id = z
  .string()
  .regex(/^\d{1,12}$/, 'err.required')
  .transform(Number)

export const StaffActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('invite'), phone: mobileField, isAdmin: z.literal('on').optional() }),
  z.object({ intent: z.literal('cancel'), invitationId: id }),
  z.object({ intent: z.literal('remove'), memberId: id }),
])

export const InvitationAnswerSchema = z.object({
  intent: z.enum(['accept', 'decline']),
  invitationId: id,
})

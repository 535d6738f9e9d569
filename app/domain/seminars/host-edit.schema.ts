import { z } from 'zod'

/** The longest venue a host may enter (characters). */
export const MAX_VENUE = 200
/** A China clock time, 'HH:MM'. */
export const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/

/** Host staff change the venue of their seminar (/base/seminars/:seminarId). */
export const VenueSchema = z.object({
  intent: z.literal('venue'),
  venue: z
    .string({ required_error: 'seminarHost.code.venue_required' })
    .trim()
    .min(1, 'seminarHost.code.venue_required')
    .refine((v) => [...v].length <= MAX_VENUE, 'seminarHost.code.venue_too_long'),
})

const clock = z.string({ required_error: 'err.required' }).trim().regex(CLOCK, 'seminarHost.code.bad_clock')

/** Host staff move one block that has not started to other China-time hours on the same day. */
export const MoveBlockSchema = z
  .object({
    intent: z.literal('move'),
    blockId: z
      .string({ required_error: 'err.required' })
      .trim()
      .regex(/^\d{1,12}$/, 'err.choice')
      .transform(Number),
    startsAt: clock,
    endsAt: clock,
  })
  // Only once both are clock times (zod runs this even when a field failed its own check).
  .refine((v) => !CLOCK.test(v.startsAt) || !CLOCK.test(v.endsAt) || v.endsAt > v.startsAt, {
    message: 'seminarHost.code.bad_times',
    path: ['endsAt'],
  })

import { z } from 'zod'

/** The learner's appeal of an integrity record (诚信档案): the grounds, required, at most 2,000 characters. Messages are catalog keys. */
export const APPEAL_MAX_CHARS = 2000

export const AppealSchema = z.object({
  text: z
    .string({ required_error: 'integrityMine.err.text_required' })
    .trim()
    .min(1, 'integrityMine.err.text_required')
    .max(APPEAL_MAX_CHARS, 'integrityMine.err.text_too_long'),
})

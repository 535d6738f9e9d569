import { z } from 'zod'

/** Request bodies of the credit-hours check API (/api/v1/credit-checks). */
const applicant = {
  idNumber: z.string().max(40),
  applicationYear: z.number().int(),
  currentTitleYear: z.number().int().min(1950).max(2100).nullable().optional(),
  titleLevel: z.string().max(40).nullable().optional(),
}

export const CheckBodySchema = z.object(applicant).strict()
export const BatchBodySchema = z.object({ applicants: z.array(z.object(applicant).strict()).min(1) }).strict()

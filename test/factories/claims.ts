import { ClaimFieldsSchema } from '#app/domain/claims/external-claims.schema.ts'
import { decideClaim, submitClaim } from '#app/domain/claims/external-claims.server.ts'
import { chinaToday } from '#app/domain/claims/external-claims.ts'
import type { HrActor } from '#app/domain/shared/scope.ts'
import type { DB } from '#app/lib/db.server.ts'

/** A small PDF as claim evidence and findings accept it (checked by its first bytes). */
export const PDF_EVIDENCE = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

/**
 * An external-hours claim (a conference attended today, with a PDF certificate) the learner
 * submitted and HR of their region approved: the ledger holds its entry.
 */
export async function approvedClaim(
  db: DB,
  personId: number,
  hr: HrActor,
  overrides: Partial<{ title: string; units: string; occurredOn: string }> = {},
): Promise<{ claimId: number; entryId: number }> {
  const fields = ClaimFieldsSchema.parse({
    activity: 'academic_conference',
    title: '第十届东北地区土木工程学术年会',
    category: 'professional',
    units: '2',
    occurredOn: chinaToday(new Date()),
    ...overrides,
  })
  const submitted = await submitClaim(db, personId, fields, { filename: '参会证明.pdf', bytes: PDF_EVIDENCE })
  if (!submitted.ok) throw new Error(`factory: ${JSON.stringify(submitted.errors)}`)
  const decided = await decideClaim(db, hr, { claimId: submitted.claimId, decision: 'approve' })
  if (!decided.ok || decided.entryId === null) throw new Error(`factory: ${decided.ok ? 'no entry' : decided.code}`)
  return { claimId: submitted.claimId, entryId: decided.entryId }
}

import path from 'node:path'

import { z } from 'zod'

import { singleton } from '#app/lib/singleton.server.ts'

import { readPolicyFile } from './versioned.server.ts'

/**
 * Settings of compliance oversight (达标监管), authored in content/policies/compliance.json: one
 * flat object with a version name. Each part of the area reads its own keys; a key another part
 * owns is let through here (passthrough) and checked by that part's schema, so the file stays
 * one document without one schema knowing every key.
 */
export const CompliancePolicySchema = z
  .object({
    $comment: z.string().optional(),
    version: z.string().regex(/^compliance\.\d+$/, 'must look like "compliance.1"'),
    /** Days an export file is kept after it was requested; then the daily job deletes the file. */
    exportDays: z.number().int().min(1).max(90),
  })
  .passthrough()
export type CompliancePolicy = z.infer<typeof CompliancePolicySchema>

export class CompliancePolicyFileError extends Error {}

export const COMPLIANCE_POLICY_FILE = path.join(process.cwd(), 'content', 'policies', 'compliance.json')

/** Reads and validates the file; a bad file is refused naming the field. */
export function loadCompliancePolicy(file = COMPLIANCE_POLICY_FILE): CompliancePolicy {
  return readPolicyFile(file, CompliancePolicySchema, CompliancePolicyFileError)
}

/** The file, read once per process (it changes with a deploy, never at run time). */
export function compliancePolicy(): CompliancePolicy {
  return singleton('compliance-policy', () => loadCompliancePolicy())
}

import { PROVINCE } from './reference.ts'

/**
 * An HR officer's scope: one region (市州) code, or the province code for the whole province.
 * A person with no region is visible to the province only.
 */
export function inScope(scopeRegion: string, personRegion: string | null): boolean {
  return scopeRegion === PROVINCE.code || (personRegion !== null && scopeRegion === personRegion)
}

export function isProvinceScope(scopeRegion: string): boolean {
  return scopeRegion === PROVINCE.code
}

/** Who acts in HR tools: their account, their own person (they never act on themself), their scope. */
export type HrActor = { accountId: number; personId: number; scopeRegion: string }

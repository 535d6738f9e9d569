import { z } from 'zod'

/**
 * The HR integrity pages' inputs (诚信档案): one schema per form, used by Conform in the browser
 * and by the action. The file of a finding is judged by its bytes on the server, not here.
 */
export const FindingFieldsSchema = z.object({
  finding: z.string({ required_error: 'integrityHr.err.finding_required' }).trim().min(1, 'integrityHr.err.finding_required').max(2000),
  documentNumber: z
    .string({ required_error: 'integrityHr.err.document_required' })
    .trim()
    .min(1, 'integrityHr.err.document_required')
    .max(100),
})

const reason = z.string({ required_error: 'integrityHr.err.reason_required' }).trim().min(1, 'integrityHr.err.reason_required').max(1000)

export const RecordActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('confirm') }),
  z.object({ intent: z.literal('cancel'), reason }),
  z.object({ intent: z.literal('uphold'), reason }),
  z.object({ intent: z.literal('withdraw'), reason }),
])

/** What a finding is about, as the new-finding page's query string names it. */
export type FindingSource =
  | { kind: 'claim'; id: number }
  | { kind: 'entry'; id: number }
  | { kind: 'roster_row'; activityId: number; personId: number }
  | { kind: 'activity'; id: number }

const ID = /^[1-9]\d{0,17}$/

/** The source from `?source=claim|entry|activity&id=N` or `?source=roster_row&activity=A&person=P`; null when unclear. */
export function findingSourceOf(params: URLSearchParams): FindingSource | null {
  const source = params.get('source')
  const id = params.get('id') ?? ''
  if (source === 'roster_row') {
    const activity = params.get('activity') ?? ''
    const person = params.get('person') ?? ''
    return ID.test(activity) && ID.test(person) ? { kind: 'roster_row', activityId: Number(activity), personId: Number(person) } : null
  }
  if ((source === 'claim' || source === 'entry' || source === 'activity') && ID.test(id)) return { kind: source, id: Number(id) }
  return null
}

/** The query string of the new-finding page for a source (the entry points link to it). */
export function findingHref(source: FindingSource): string {
  const q =
    source.kind === 'roster_row'
      ? `source=roster_row&activity=${source.activityId}&person=${source.personId}`
      : `source=${source.kind}&id=${source.id}`
  return `/hr/integrity/new?${q}`
}

import { useT } from '#app/i18n/index.ts'

/** A base's status on a day, as the public registry shows it. */
export const REGISTRY_STATUSES = ['in_notice', 'designated', 'rectification', 'revoked', 'expired'] as const

const BADGE = {
  in_notice: 'badge-public',
  designated: 'badge-designated',
  rectification: 'badge-rectification',
  revoked: 'badge-revoked',
  expired: 'badge-revoked',
} as const

export function StatusBadge({ status }: { status: (typeof REGISTRY_STATUSES)[number] }) {
  const t = useT()
  return <span className={`badge ${BADGE[status]}`}>{t(`base.registry.status.${status}`)}</span>
}

/** The lifecycle events a history shows (base_status_events.event). */
export const BASE_EVENTS = [
  'create',
  'edit',
  'submit',
  'withdraw',
  'return',
  'forward',
  'approve',
  'reject',
  'designate',
  'open_rectification',
  'answer_rectification',
  'pass_rectification',
  'revoke',
] as const
export type BaseEvent = (typeof BASE_EVENTS)[number]
export const asBaseEvent = (e: string): BaseEvent | null => BASE_EVENTS.find((x) => x === e) ?? null

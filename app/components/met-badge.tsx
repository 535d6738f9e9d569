import { useT } from '#app/i18n/index.ts'

/** Whether a year met the requirement, as a badge (我的学时 and the HR person page). */
export function MetBadge({ met }: { met: boolean }) {
  const t = useT()
  return <span className={`badge ${met ? 'badge-designated' : 'badge-rectification'}`}>{met ? t('hours.met') : t('hours.notMet')}</span>
}

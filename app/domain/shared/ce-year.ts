const SHANGHAI = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' })

/** The CE year of an instant: the calendar year in China (UTC+8), not the server's. */
export function ceYearOf(instant: Date): number {
  return Number(SHANGHAI.format(instant))
}

/** A study duration as the course pages show it: "45 秒", "12 分钟", "1 小时 5 分钟". */
export function duration(seconds: number, t: (key: string, params?: Record<string, string | number>) => string): string {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return t('course.seconds', { seconds: s })
  const minutes = Math.round((s / 60) * 10) / 10
  return t('course.minutes', { minutes })
}

import { z } from 'zod'

import type { ApplicationView } from '#app/domain/bases/applications.server.ts'

/**
 * The application form as the browser sends it (route-only helper for /bases/apply and
 * /bases/applications/:id): flat strings, the faculty and course lists one per line, the fields as
 * repeated checkboxes. `toInput` turns it into the domain's input; the domain validates it
 * (ApplicationInputSchema) and `formErrors` maps its paths back to these fields.
 */
const str = z.string().optional().default('')
export const ApplicationFormSchema = z.object({
  institutionName: str,
  creditCode: str,
  regionCode: str,
  trainingFields: z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.string())),
  classrooms: str,
  seats: str,
  onlinePlatform: str,
  faculty: str,
  courses: str,
  contactName: str,
  contactPhone: str,
  contactEmail: str,
})
export type ApplicationForm = z.output<typeof ApplicationFormSchema>

const lines = (s: string) =>
  s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
const cells = (l: string) => l.split(/[,，|｜\t、]/).map((c) => c.trim())

const CATEGORY: Record<string, 'public' | 'professional'> = {
  公需: 'public',
  公需科目: 'public',
  public: 'public',
  专业: 'professional',
  专业科目: 'professional',
  professional: 'professional',
}

/** The domain's input (validated there: counts and hours as typed, so a wrong one is refused, not guessed). */
export function toInput(f: ApplicationForm) {
  return {
    institutionName: f.institutionName,
    creditCode: f.creditCode,
    regionCode: f.regionCode,
    trainingFields: f.trainingFields,
    // An empty count would coerce to 0: send something that fails as a count instead.
    classrooms: f.classrooms.trim() === '' ? 'x' : f.classrooms.trim(),
    seats: f.seats.trim() === '' ? 'x' : f.seats.trim(),
    onlinePlatform: f.onlinePlatform === 'yes',
    faculty: lines(f.faculty).map((l) => {
      const [name = '', title = '', field = ''] = cells(l)
      return { name, title, field }
    }),
    courses: lines(f.courses).map((l) => {
      const [title = '', category = '', hours = ''] = cells(l)
      return { title, category: CATEGORY[category.toLowerCase()] ?? category, hours: hours === '' ? 'x' : hours }
    }),
    contact: { name: f.contactName, phone: f.contactPhone, email: f.contactEmail.trim() === '' ? undefined : f.contactEmail },
  }
}

/** The domain's error paths (`faculty.2.name`, `contact.phone`) as this form's fields, one message each. */
export function formErrors(errors: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [path, messages] of Object.entries(errors)) {
    const [head, index] = path.split('.')
    let field = head ?? ''
    let message = messages[0] ?? 'err.form'
    if (head === 'contact') field = `contact${(index ?? '').charAt(0).toUpperCase()}${(index ?? '').slice(1)}`
    else if (head === 'faculty' && index !== undefined) message = 'err.base.facultyLine'
    else if (head === 'courses' && index !== undefined && message !== 'err.base.hours') message = 'err.base.courseLine'
    else if (head === 'classrooms' || head === 'seats') message = 'err.base.count'
    if (field === '_') field = ''
    out[field] ??= [message]
  }
  return out
}

const CATEGORY_WORD = { public: '公需', professional: '专业' } as const

/** A stored application as the form's values, to edit it again. */
export function formValues(app: ApplicationView): ApplicationForm {
  const faculty = (app.faculty ?? []) as { name: string; title: string; field: string }[]
  const courses = (app.courses ?? []) as { title: string; category: 'public' | 'professional'; hours: number }[]
  const contact = (app.contact ?? {}) as { name?: string; phone?: string; email?: string }
  return {
    institutionName: app.institution_name,
    creditCode: app.credit_code,
    regionCode: app.region_code,
    trainingFields: (app.training_fields ?? []) as string[],
    classrooms: String(app.classrooms),
    seats: String(app.seats),
    onlinePlatform: app.online_platform ? 'yes' : '',
    faculty: faculty.map((f) => `${f.name}，${f.title}，${f.field}`).join('\n'),
    courses: courses.map((c) => `${c.title}，${CATEGORY_WORD[c.category] ?? c.category}，${c.hours}`).join('\n'),
    contactName: contact.name ?? '',
    contactPhone: contact.phone ?? '',
    contactEmail: contact.email ?? '',
  }
}

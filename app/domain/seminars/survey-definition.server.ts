import path from 'node:path'

import { z } from 'zod'

import { checkVersions, readPolicyFile, versionOn } from '#app/domain/policy/versioned.server.ts'
import { singleton } from '#app/lib/singleton.server.ts'

/**
 * The seminar satisfaction survey (研修班满意度调查) as versioned data: content/surveys/seminar.json,
 * a list of immutable versions like the policy files; the version in force on the seminar's first
 * day is the one its participants answer, and each answer records it.
 */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as "2026-01-01"')
const questionId = z.string().regex(/^[a-z][a-z_]{1,30}$/, 'must be a short lower-case id such as "content"')
const label = { zh: z.string().min(1), en: z.string().min(1) }

export const RatingQuestionSchema = z.object({ id: questionId, kind: z.literal('rating'), ...label }).strict()
export const TextQuestionSchema = z
  .object({
    id: questionId,
    kind: z.literal('text'),
    optional: z.boolean().default(false),
    max: z.number().int().min(1).max(5000),
    ...label,
  })
  .strict()
export const SurveyQuestionSchema = z.discriminatedUnion('kind', [RatingQuestionSchema, TextQuestionSchema])
export type SurveyQuestion = z.infer<typeof SurveyQuestionSchema>

export const SurveyVersionSchema = z
  .object({
    version: z.string().regex(/^survey\.\d+$/, 'must look like "survey.1"'),
    effectiveFrom: day,
    questions: z.array(SurveyQuestionSchema).min(1),
  })
  .strict()
  .superRefine((v, ctx) => {
    const ids = new Set<string>()
    v.questions.forEach((q, i) => {
      if (ids.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: 'duplicate question id' })
      ids.add(q.id)
    })
    if (!v.questions.some((q) => q.kind === 'rating'))
      ctx.addIssue({ code: 'custom', path: ['questions'], message: 'needs a rating question' })
  })
export type SurveyVersion = z.infer<typeof SurveyVersionSchema>

export const SurveyFileSchema = z
  .object({ $comment: z.string().optional(), versions: z.array(SurveyVersionSchema).min(1) })
  .strict()
  .superRefine((f, ctx) => checkVersions(f, ctx))
export type SurveyFile = z.infer<typeof SurveyFileSchema>

export class SurveyFileError extends Error {}

export const SURVEY_FILE = path.join(process.cwd(), 'content', 'surveys', 'seminar.json')

/** Reads and validates the file; a bad file is refused naming the field. */
export function loadSurveyFile(file = SURVEY_FILE): SurveyFile {
  return readPolicyFile(file, SurveyFileSchema, SurveyFileError)
}

/** The file, read once per process (it changes with a deploy, never at run time). */
export function surveyFile(): SurveyFile {
  return singleton('seminar-survey', () => loadSurveyFile())
}

/** The survey in force on a seminar's first day ('YYYY-MM-DD'). */
export function surveyOn(date: string, file: SurveyFile = surveyFile()): SurveyVersion {
  const chosen = versionOn(file.versions, date)
  if (!chosen)
    throw new SurveyFileError(`no seminar survey in force on ${date}: the first version starts ${file.versions[0]?.effectiveFrom}`)
  return chosen
}

/** The survey of a version an answer recorded (results are read with the questions they were asked under). */
export function surveyVersion(version: string, file: SurveyFile = surveyFile()): SurveyVersion | undefined {
  return file.versions.find((v) => v.version === version)
}

export const ratingQuestions = (v: SurveyVersion) => v.questions.filter((q) => q.kind === 'rating')
export const textQuestions = (v: SurveyVersion) =>
  v.questions.filter((q): q is Extract<SurveyQuestion, { kind: 'text' }> => q.kind === 'text')

/**
 * The zod schema of one answer to a version: each rating a whole number 1–5 (required), each text
 * trimmed, at most `max` characters, empty → absent when optional. Used by the form and the domain.
 */
export function answersSchema(v: SurveyVersion) {
  const shape: Record<string, z.ZodTypeAny> = {}
  for (const q of v.questions) {
    if (q.kind === 'rating')
      shape[q.id] = z.coerce
        .number({ required_error: 'seminarSurvey.err.rating', invalid_type_error: 'seminarSurvey.err.rating' })
        .int('seminarSurvey.err.rating')
        .min(1, 'seminarSurvey.err.rating')
        .max(5, 'seminarSurvey.err.rating')
    else {
      const text = z.string().trim().max(q.max, 'seminarSurvey.err.tooLong')
      shape[q.id] = q.optional
        ? z.preprocess((x) => (typeof x === 'string' && x.trim() === '' ? undefined : x), text.optional())
        : text.min(1, 'seminarSurvey.err.required')
    }
  }
  return z.object(shape).strict()
}
export type SurveyAnswers = Record<string, number | string | undefined>

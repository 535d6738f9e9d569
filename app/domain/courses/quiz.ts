import { randomInt } from 'node:crypto'

import type { QuizLayout } from '#db/schema.ts'

/**
 * The end-of-course quiz (结业测验) as pure rules: each sitting shows the questions and their
 * options in a fresh random order (the layout, stored with the sitting), and is graded against the
 * course's answer key. Passing needs correct / total ≥ passMark %, compared in integers.
 */
export type QuizKey = { passMark: number; questions: { id: string; options: string[]; answer: number }[] }

export type Grade = { correct: number; total: number; score: number; passed: boolean }

/** Minutes a learner waits after a failed sitting, unless the course file says otherwise. */
export const DEFAULT_RETRY_MINUTES = 10

/** When the next sitting may open after a failed one. */
export function retryAt(submittedAt: Date | string, retryMinutes: number): Date {
  return new Date(new Date(submittedAt).getTime() + retryMinutes * 60_000)
}

/** Fisher–Yates with a cryptographic source, so the order cannot be predicted from earlier sittings. */
export function shuffled<T>(items: readonly T[], random: (maxExclusive: number) => number = randomInt): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = random(i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

export function makeLayout(quiz: QuizKey, random?: (maxExclusive: number) => number): QuizLayout {
  return shuffled(quiz.questions, random).map((q) => ({
    id: q.id,
    options: shuffled(
      q.options.map((_, i) => i),
      random,
    ),
  }))
}

export type AnswerProblem = { missing: string[] }

/**
 * Reads the submitted answers (question id → original option index) for a layout: every question
 * of the sitting must be answered with one of its options; anything else is ignored.
 */
export function readAnswers(
  layout: QuizLayout,
  raw: Record<string, unknown>,
): { ok: true; answers: Record<string, number> } | { ok: false; problem: AnswerProblem } {
  const answers: Record<string, number> = {}
  const missing: string[] = []
  for (const q of layout) {
    const v = raw[q.id]
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,2}$/.test(v) ? Number(v) : NaN
    if (Number.isInteger(n) && q.options.includes(n)) answers[q.id] = n
    else missing.push(q.id)
  }
  return missing.length ? { ok: false, problem: { missing } } : { ok: true, answers }
}

export function grade(quiz: QuizKey, answers: Record<string, number>): Grade {
  const total = quiz.questions.length
  const correct = quiz.questions.filter((q) => answers[q.id] === q.answer).length
  return { correct, total, score: Math.floor((correct * 100) / total), passed: correct * 100 >= quiz.passMark * total }
}

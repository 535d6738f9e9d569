import { describe, expect, test } from 'vitest'

import { grade, makeLayout, type QuizKey, readAnswers, shuffled } from '#app/domain/courses/quiz.ts'

const quiz: QuizKey = {
  passMark: 60,
  questions: ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ id, options: ['x', 'y', 'z'], answer: i % 3 })),
}

describe('quiz rules', () => {
  test('shuffling is a permutation, driven by the random source', () => {
    const items = [1, 2, 3, 4, 5, 6]
    expect(shuffled(items, () => 0)).toEqual([2, 3, 4, 5, 6, 1])
    expect(shuffled(items, (n) => n - 1)).toEqual(items)
    for (let i = 0; i < 50; i++) expect(shuffled(items).sort()).toEqual(items)
    expect(items).toEqual([1, 2, 3, 4, 5, 6]) // the input is not changed
  })

  test('a layout shows every question once, each with all its options once', () => {
    const layout = makeLayout(quiz)
    expect(layout.map((q) => q.id).sort()).toEqual(['a', 'b', 'c', 'd', 'e'])
    for (const q of layout) expect([...q.options].sort()).toEqual([0, 1, 2])
    // Over many sittings, more than one order appears.
    const orders = new Set(
      Array.from({ length: 30 }, () =>
        makeLayout(quiz)
          .map((q) => q.id)
          .join(''),
      ),
    )
    expect(orders.size).toBeGreaterThan(1)
  })

  test('answers: every question needs one of its options; strings from a form are read', () => {
    const layout = makeLayout(quiz, () => 0)
    expect(readAnswers(layout, { a: '0', b: 1, c: '2', d: 0, e: '1' })).toEqual({ ok: true, answers: { a: 0, b: 1, c: 2, d: 0, e: 1 } })
    expect(readAnswers(layout, { a: '0', b: '3', c: 'x', d: -1 })).toEqual({
      ok: false,
      problem: { missing: expect.arrayContaining(['b', 'c', 'd', 'e']) },
    })
  })

  test('grading compares in integers: exactly the pass mark passes', () => {
    const all = { a: 0, b: 1, c: 2, d: 0, e: 1 }
    expect(grade(quiz, all)).toEqual({ correct: 5, total: 5, score: 100, passed: true })
    expect(grade(quiz, { ...all, a: 1, b: 0 })).toEqual({ correct: 3, total: 5, score: 60, passed: true })
    expect(grade(quiz, { ...all, a: 1, b: 0, c: 0 })).toEqual({ correct: 2, total: 5, score: 40, passed: false })
    const thirds: QuizKey = { passMark: 67, questions: quiz.questions.slice(0, 3) }
    expect(grade(thirds, { a: 0, b: 1, c: 0 })).toMatchObject({ correct: 2, score: 66, passed: false })
  })
})

import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

import { describe, expect, test } from 'vitest'

import { loadWorkCalendar, workCalendar, WorkCalendarFileError } from '#app/domain/policy/work-calendar.server.ts'
import {
  addWorkingDays,
  isIsoDate,
  isWorkingDay,
  type WorkCalendar,
  workingDaysBetween,
  yearsWithoutCalendar,
} from '#app/domain/shared/working-days.ts'

// The shipped calendar: these cases check the transcribed notices as much as the arithmetic.
const cal = workCalendar()
const plain: WorkCalendar = { years: {} }

const write = (json: unknown) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'work-calendar-')), 'cn-working-days.json')
  writeFileSync(file, JSON.stringify(json))
  return file
}

describe('isWorkingDay', () => {
  test.each([
    ['2024-02-09', true, 'New Year’s Eve 2024 (Friday) is only encouraged leave, not a holiday'],
    ['2024-02-12', false, 'Spring Festival 2024, a Monday'],
    ['2024-02-18', true, 'make-up Sunday after Spring Festival 2024'],
    ['2024-02-04', true, 'make-up Sunday before Spring Festival 2024'],
    ['2025-01-28', false, 'New Year’s Eve 2025 is a statutory holiday since the 2025 rules'],
    ['2025-10-08', false, 'the eighth day of National Day 2025 (a Wednesday)'],
    ['2025-10-11', true, 'make-up Saturday after National Day 2025'],
    ['2026-01-04', true, 'make-up Sunday after New Year 2026'],
    ['2026-09-25', false, 'Mid-Autumn 2026, a Friday'],
    ['2026-11-28', false, 'an ordinary Saturday'],
    ['2026-11-30', true, 'an ordinary Monday'],
    ['2027-02-08', true, '2027 has no entry: Monday–Friday only'],
  ])('%s → %s (%s)', (date, expected) => {
    expect(isWorkingDay(cal, date)).toBe(expected)
  })

  test('refuses what is not a real date', () => {
    expect(() => isWorkingDay(cal, '2026-02-30')).toThrow(RangeError)
    expect(() => isWorkingDay(cal, '2026/01/05')).toThrow(RangeError)
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2025-02-29')).toBe(false)
  })
})

describe('addWorkingDays', () => {
  test('Spring Festival 2024: ends Thu 2024-02-08 → due Wed 2024-02-28 (Feb 9 and Sunday Feb 18 count, Feb 10–17 do not)', () => {
    expect(addWorkingDays(cal, '2024-02-08', 10)).toEqual({ date: '2024-02-28', yearsWithoutCalendar: [] })
    // Without the holiday list the same deadline would have been a week earlier.
    expect(addWorkingDays(plain, '2024-02-08', 10).date).toBe('2024-02-22')
  })

  test('National Day 2025: ends Fri 2025-09-26 → due Thu 2025-10-16 (Sun Sep 28 and Sat Oct 11 count, Oct 1–8 do not)', () => {
    expect(addWorkingDays(cal, '2025-09-26', 10)).toEqual({ date: '2025-10-16', yearsWithoutCalendar: [] })
  })

  test('Mid-Autumn and National Day 2026: ends Fri 2026-09-18 → due Fri 2026-10-09 (Sun Sep 20 counts; Sep 25–27 and Oct 1–7 do not)', () => {
    expect(addWorkingDays(cal, '2026-09-18', 10).date).toBe('2026-10-09')
    // Ending the day before a make-up Saturday: Oct 10 is the first working day after.
    expect(addWorkingDays(cal, '2026-10-09', 1).date).toBe('2026-10-10')
  })

  test('no holiday in the way: ends Fri 2026-03-06 → due Fri 2026-03-20', () => {
    expect(addWorkingDays(cal, '2026-03-06', 10)).toEqual({ date: '2026-03-20', yearsWithoutCalendar: [] })
    expect(addWorkingDays(cal, '2026-03-06', 0)).toEqual({ date: '2026-03-06', yearsWithoutCalendar: [] })
  })

  test('2027 has no published arrangement: counted Monday–Friday and said so', () => {
    expect(addWorkingDays(cal, '2027-03-01', 10)).toEqual({ date: '2027-03-15', yearsWithoutCalendar: [2027] })
    // Across the year end: 2027-01-01 (a Friday, surely a holiday) counts as a working day for lack of data.
    expect(addWorkingDays(cal, '2026-12-24', 10)).toEqual({ date: '2027-01-07', yearsWithoutCalendar: [2027] })
    // Ending on 31 December 2026 with a 2027 deadline also crosses into 2027.
    expect(addWorkingDays(cal, '2026-12-31', 1)).toEqual({ date: '2027-01-01', yearsWithoutCalendar: [2027] })
  })

  test('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays(cal, '2026-03-06', -1)).toThrow(RangeError)
    expect(() => addWorkingDays(cal, '2026-03-06', 1.5)).toThrow(RangeError)
  })
})

describe('workingDaysBetween', () => {
  test('positive: a report in on Fri 2024-03-01 against a Wed 2024-02-28 deadline is 2 working days late', () => {
    expect(workingDaysBetween(cal, '2024-02-28', '2024-03-01')).toBe(2)
    expect(workingDaysBetween(cal, '2024-02-08', '2024-02-28')).toBe(10)
  })

  test('zero: the same day, or only days off in between', () => {
    expect(workingDaysBetween(cal, '2024-02-28', '2024-02-28')).toBe(0)
    expect(workingDaysBetween(cal, '2025-09-30', '2025-10-08')).toBe(0)
    expect(workingDaysBetween(cal, '2026-03-06', '2026-03-08')).toBe(0)
  })

  test('negative: before the deadline, the working days still left, negated', () => {
    expect(workingDaysBetween(cal, '2024-02-28', '2024-02-08')).toBe(-10)
    expect(workingDaysBetween(cal, '2026-10-09', '2026-09-18')).toBe(-10)
  })

  test('agrees with addWorkingDays across every holiday of 2022–2026', () => {
    for (let t = Date.UTC(2022, 0, 1); t < Date.UTC(2027, 0, 1); t += 7 * 86_400_000) {
      const start = new Date(t).toISOString().slice(0, 10)
      const { date } = addWorkingDays(cal, start, 10)
      expect(workingDaysBetween(cal, start, date)).toBe(10)
    }
  })

  test('yearsWithoutCalendar names the uncovered years of a span, in either order', () => {
    expect(yearsWithoutCalendar(cal, '2026-12-20', '2027-01-10')).toEqual([2027])
    expect(yearsWithoutCalendar(cal, '2027-01-10', '2026-12-20')).toEqual([2027])
    expect(yearsWithoutCalendar(cal, '2021-12-31', '2022-01-10')).toEqual([])
    expect(yearsWithoutCalendar(cal, '2021-12-30', '2022-01-10')).toEqual([2021])
  })
})

describe('work calendar file (content/calendar/cn-working-days.json)', () => {
  test('the shipped file loads 2022–2026 with a source per year, and no 2027', () => {
    expect(Object.keys(cal.years)).toEqual(['2022', '2023', '2024', '2025', '2026'])
    expect(cal.years['2024']?.source).toMatch(/国办发明电〔2023〕7号/)
    expect(workCalendar()).toBe(cal)
  })

  test('refuses a date that is both a holiday and a make-up day, a weekday make-up day, an impossible date, a date filed under another year', () => {
    const file = (entry: { holidays: string[]; workdays: string[] }) => write({ years: { '2026': { source: 'test', ...entry } } })
    expect(() => loadWorkCalendar(file({ holidays: ['2026-02-14'], workdays: ['2026-02-14'] }))).toThrow(/both a holiday and a make-up/)
    expect(() => loadWorkCalendar(file({ holidays: [], workdays: ['2026-02-13'] }))).toThrow(
      /years\.2026\.workdays\.0: 2026-02-13 is a weekday/,
    )
    expect(() => loadWorkCalendar(file({ holidays: ['2026-02-30'], workdays: [] }))).toThrow(
      /years\.2026\.holidays\.0: must be a real date/,
    )
    expect(() => loadWorkCalendar(file({ holidays: ['2027-01-01'], workdays: [] }))).toThrow(/2027-01-01 is not in 2026/)
    expect(() => loadWorkCalendar(write({ years: { '2026': { holidays: [], workdays: [] } } }))).toThrow(WorkCalendarFileError)
  })
})

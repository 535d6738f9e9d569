import { describe, expect, test } from 'vitest'

import { type EligibilitySeminar, ineligibility, regionMatches, windowProblem } from '#app/domain/seminars/eligibility.ts'

const policy = { nationalPerPersonPerYear: 1 }
const person = { titleLevel: 'intermediate', titleSeries: 'engineering', regionCode: '220100', idProvince: '22' }
const seminar = (over: Partial<EligibilitySeminar> = {}): EligibilitySeminar => ({
  id: 1,
  level: 'national',
  startDate: '2026-12-10',
  endDate: '2026-12-14',
  eligibility: {},
  ...over,
})

describe('eligibility', () => {
  test('no rules, no other registrations: eligible', () => {
    expect(ineligibility(person, seminar(), [], policy)).toEqual([])
  })

  test('title level and series from the verified data; a person without a title fails a level rule', () => {
    const rules = { levels: ['intermediate', 'associate_senior', 'senior'], series: ['health'] }
    expect(ineligibility(person, seminar({ eligibility: rules }), [], policy)).toEqual(['title_series'])
    expect(ineligibility({ ...person, titleLevel: 'junior', titleSeries: 'health' }, seminar({ eligibility: rules }), [], policy)).toEqual([
      'title_level',
    ])
    expect(ineligibility({ ...person, titleLevel: null, titleSeries: null }, seminar({ eligibility: rules }), [], policy)).toEqual([
      'title_level',
      'title_series',
    ])
    // Empty lists mean no rule.
    expect(ineligibility(person, seminar({ eligibility: { levels: [], series: [] } }), [], policy)).toEqual([])
  })

  test('regions: a 市州 code, or a province as NN0000 (by ID province or by region)', () => {
    expect(regionMatches('220100', person)).toBe(true)
    expect(regionMatches('220200', person)).toBe(false)
    expect(regionMatches('220000', person)).toBe(true)
    expect(regionMatches('440000', { regionCode: null, idProvince: '44' })).toBe(true)
    expect(regionMatches('440000', { regionCode: '220100', idProvince: '22' })).toBe(false)
    expect(ineligibility(person, seminar({ eligibility: { regions: ['220200', '220300'] } }), [], policy)).toEqual(['region'])
  })

  test('at most N national seminars a CE year, counting live registrations of the same year only', () => {
    const other = { seminarId: 2, level: 'national' as const, startDate: '2026-03-01', endDate: '2026-03-03' }
    expect(ineligibility(person, seminar(), [other], policy)).toEqual(['national_limit'])
    expect(ineligibility(person, seminar(), [{ ...other, startDate: '2025-12-30', endDate: '2026-01-02' }], policy)).toEqual([])
    expect(ineligibility(person, seminar(), [{ ...other, level: 'provincial' }], policy)).toEqual([])
    expect(ineligibility(person, seminar({ level: 'provincial' }), [other], policy)).toEqual([])
    expect(ineligibility(person, seminar(), [other], { nationalPerPersonPerYear: 2 })).toEqual([])
  })

  test('overlapping dates with another live registration, edges inclusive', () => {
    const other = (startDate: string, endDate: string) => ({ seminarId: 2, level: 'provincial' as const, startDate, endDate })
    expect(ineligibility(person, seminar(), [other('2026-12-14', '2026-12-16')], policy)).toEqual(['date_overlap'])
    expect(ineligibility(person, seminar(), [other('2026-12-01', '2026-12-10')], policy)).toEqual(['date_overlap'])
    expect(ineligibility(person, seminar(), [other('2026-12-15', '2026-12-16')], policy)).toEqual([])
    expect(ineligibility(person, seminar(), [other('2026-12-01', '2026-12-09')], policy)).toEqual([])
  })

  test('already registered for this seminar: said once, not as an overlap with itself', () => {
    const self = { seminarId: 1, level: 'national' as const, startDate: '2026-12-10', endDate: '2026-12-14' }
    expect(ineligibility(person, seminar(), [self], policy)).toEqual(['already_registered'])
  })

  test('every reason at once', () => {
    const other = { seminarId: 2, level: 'national' as const, startDate: '2026-12-12', endDate: '2026-12-12' }
    expect(
      ineligibility(
        { ...person, titleLevel: 'junior' },
        seminar({ eligibility: { levels: ['senior'], series: ['health'], regions: ['220200'] } }),
        [other],
        policy,
      ),
    ).toEqual(['title_level', 'title_series', 'region', 'national_limit', 'date_overlap'])
  })
})

describe('registration window', () => {
  const s = {
    status: 'published',
    registrationOpensAt: new Date('2026-11-01T00:00:00Z'),
    registrationClosesAt: new Date('2026-11-10T00:00:00Z'),
  }
  test('opens inclusive, closes exclusive; only published seminars', () => {
    expect(windowProblem(s, new Date('2026-10-31T23:59:59.999Z'))).toBe('not_open_yet')
    expect(windowProblem(s, new Date('2026-11-01T00:00:00Z'))).toBeNull()
    expect(windowProblem(s, new Date('2026-11-09T23:59:59.999Z'))).toBeNull()
    expect(windowProblem(s, new Date('2026-11-10T00:00:00Z'))).toBe('registration_closed')
    expect(windowProblem({ ...s, status: 'cancelled' }, new Date('2026-11-05T00:00:00Z'))).toBe('not_published')
  })
})

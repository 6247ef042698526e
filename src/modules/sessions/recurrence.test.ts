import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { londonToUtc } from '#platform/london.ts'
import { checkRule, expand, formatRule, parseRule, type WeeklyRule } from './recurrence.ts'

const tuesdays: WeeklyRule = {
  start: '2027-01-05',
  startTime: '10:00',
  endTime: '12:00',
  byDay: ['TU'],
  until: '2027-02-02',
  exdates: [],
}

describe('London wall-clock times', () => {
  test('winter is UTC, summer is an hour ahead', () => {
    assert.equal(londonToUtc('2027-01-12', '10:00'), '2027-01-12T10:00:00.000Z')
    assert.equal(londonToUtc('2027-07-13', '10:00'), '2027-07-13T09:00:00.000Z')
  })

  test('the last Sunday of March: 01:30 does not exist, 00:59 and 02:00 do', () => {
    assert.equal(londonToUtc('2027-03-28', '01:30'), null)
    assert.equal(londonToUtc('2027-03-28', '01:00'), null)
    assert.equal(londonToUtc('2027-03-28', '00:59'), '2027-03-28T00:59:00.000Z')
    assert.equal(londonToUtc('2027-03-28', '02:00'), '2027-03-28T01:00:00.000Z')
    assert.equal(londonToUtc('2026-03-29', '01:15'), null)
  })

  test('the last Sunday of October: 01:30 happens twice and means the first', () => {
    assert.equal(londonToUtc('2027-10-31', '01:30'), '2027-10-31T00:30:00.000Z')
    assert.equal(londonToUtc('2027-10-31', '02:00'), '2027-10-31T02:00:00.000Z')
    assert.equal(londonToUtc('2026-10-25', '00:30'), '2026-10-24T23:30:00.000Z')
  })
})

describe('weekly rules', () => {
  test('Tuesdays 10:00 to 12:00 until a date, the until date included', () => {
    assert.deepEqual(
      expand(tuesdays).map((o) => o.date),
      ['2027-01-05', '2027-01-12', '2027-01-19', '2027-01-26', '2027-02-02'],
    )
  })

  test('EXDATE leaves a date out, and COUNT still counts it', () => {
    const rule = { ...tuesdays, until: undefined, count: 3, exdates: ['2027-01-12'] }
    assert.deepEqual(
      expand(rule).map((o) => o.date),
      ['2027-01-05', '2027-01-19'],
    )
  })

  test('several days a week', () => {
    const rule = { ...tuesdays, byDay: ['TU' as const, 'TH' as const], until: '2027-01-12' }
    assert.deepEqual(
      expand(rule).map((o) => o.date),
      ['2027-01-05', '2027-01-07', '2027-01-12'],
    )
  })

  test('Sundays at 10:00 stay at 10:00 London across both clock changes', () => {
    const rule: WeeklyRule = {
      start: '2027-03-21',
      startTime: '10:00',
      endTime: '11:30',
      byDay: ['SU'],
      count: 2,
      exdates: [],
    }
    assert.deepEqual(expand(rule), [
      { date: '2027-03-21', startsAt: '2027-03-21T10:00:00.000Z', endsAt: '2027-03-21T11:30:00.000Z' },
      { date: '2027-03-28', startsAt: '2027-03-28T09:00:00.000Z', endsAt: '2027-03-28T10:30:00.000Z' },
    ])
    const autumn = expand({ ...rule, start: '2027-10-24' })
    assert.deepEqual(
      autumn.map((o) => o.startsAt),
      ['2027-10-24T09:00:00.000Z', '2027-10-31T10:00:00.000Z'],
    )
  })

  test('a session in the hour skipped in March is refused, naming the date', () => {
    const rule: WeeklyRule = {
      start: '2027-03-14',
      startTime: '01:15',
      endTime: '03:00',
      byDay: ['SU'],
      until: '2027-04-04',
      exdates: [],
    }
    assert.deepEqual(checkRule(rule), { problem: 'skippedTime', date: '2027-03-28' })
    assert.equal(checkRule({ ...rule, exdates: ['2027-03-28'] }), null)
  })

  test('bad rules are refused', () => {
    assert.equal(checkRule(tuesdays), null)
    assert.equal(checkRule({ ...tuesdays, endTime: '09:00' })?.problem, 'endBeforeStart')
    assert.equal(checkRule({ ...tuesdays, startTime: '25:00' })?.problem, 'time')
    assert.equal(checkRule({ ...tuesdays, start: '2027-02-30' })?.problem, 'start')
    assert.equal(checkRule({ ...tuesdays, byDay: [] })?.problem, 'days')
    assert.equal(checkRule({ ...tuesdays, until: '2026-01-01' })?.problem, 'end')
    assert.equal(checkRule({ ...tuesdays, count: 3 })?.problem, 'end')
    assert.equal(checkRule({ ...tuesdays, until: '2035-01-01' })?.problem, 'tooMany')
  })
})

describe('RFC 5545 text', () => {
  test('written with TZID, UNTIL in UTC, and read back the same', () => {
    const rule = { ...tuesdays, until: '2027-07-06', exdates: ['2027-05-04', '2027-04-06'] }
    const text = formatRule(rule)
    assert.equal(
      text,
      [
        'DTSTART;TZID=Europe/London:20270105T100000',
        'DTEND;TZID=Europe/London:20270105T120000',
        'RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270706T225900Z',
        'EXDATE;TZID=Europe/London:20270406T100000,20270504T100000',
      ].join('\n'),
    )
    assert.deepEqual(parseRule(text), { ...rule, exdates: ['2027-04-06', '2027-05-04'] })
  })

  test('COUNT and a date-only UNTIL are read; other frequencies are refused', () => {
    const base = 'DTSTART;TZID=Europe/London:20270105T100000\nDTEND;TZID=Europe/London:20270105T120000\n'
    assert.equal(parseRule(`${base}RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=4`).count, 4)
    assert.equal(parseRule(`${base}RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270202`).until, '2027-02-02')
    assert.throws(() => parseRule(`${base}RRULE:FREQ=DAILY`))
  })
})

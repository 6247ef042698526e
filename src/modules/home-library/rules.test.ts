import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { londonToday } from '#platform/london.ts'
import { matchKey } from './already-read.ts'
import {
  addCount,
  addItems,
  changeCounts,
  csvCell,
  emptyFigures,
  MEASURES,
  tally,
  visitCounts,
} from './figures.ts'
import { pausedOn, reviewDateProblem } from './member.ts'
import { nextWorkingDay, visitDates } from './schedule.ts'

// England and Wales, from the referrals module's rules.json.
const HOLIDAYS = new Set([
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
  '2026-12-25',
  '2026-12-28',
  '2027-01-01',
])

describe('visit dates from a schedule', () => {
  test('a weekly Friday across the spring clock change and Easter moves past Good Friday and Easter Monday', () => {
    const dates = visitDates(
      { deliveryDay: 5, frequency: 'weekly', startsOn: '2026-03-20' },
      '2026-03-20',
      '2026-04-17',
      HOLIDAYS,
    )
    assert.deepEqual(dates, ['2026-03-20', '2026-03-27', '2026-04-07', '2026-04-10', '2026-04-17'])
  })

  test('a fortnightly Monday stays on Mondays across the autumn clock change', () => {
    const dates = visitDates(
      { deliveryDay: 1, frequency: 'fortnightly', startsOn: '2026-10-19' },
      '2026-10-01',
      '2026-11-30',
      HOLIDAYS,
    )
    assert.deepEqual(dates, ['2026-10-19', '2026-11-02', '2026-11-16', '2026-11-30'])
  })

  test('four-weekly visits count from the start, not from the planning date; a bank holiday Monday moves to Tuesday', () => {
    const dates = visitDates(
      { deliveryDay: 1, frequency: 'four-weekly', startsOn: '2026-01-05' },
      '2026-03-01',
      '2026-05-31',
      HOLIDAYS,
    )
    assert.deepEqual(dates, ['2026-03-02', '2026-03-30', '2026-04-27', '2026-05-26'])
  })

  test('a start date that is not the delivery day begins on the next delivery day', () => {
    const dates = visitDates(
      { deliveryDay: 3, frequency: 'weekly', startsOn: '2026-12-03' },
      '2026-12-01',
      '2026-12-16',
      HOLIDAYS,
    )
    assert.deepEqual(dates, ['2026-12-09', '2026-12-16'])
  })

  test('Christmas and New Year: Friday visits move to the next working day', () => {
    const dates = visitDates(
      { deliveryDay: 5, frequency: 'weekly', startsOn: '2026-12-18' },
      '2026-12-18',
      '2027-01-08',
      HOLIDAYS,
    )
    assert.deepEqual(dates, ['2026-12-18', '2026-12-29', '2027-01-04', '2027-01-08'])
    assert.equal(nextWorkingDay('2026-12-25', HOLIDAYS), '2026-12-29')
  })

  test("today is London's date: after midnight in summer time the UTC date is still yesterday", () => {
    assert.equal(londonToday(new Date('2026-03-28T23:30:00Z')), '2026-03-28')
    assert.equal(londonToday(new Date('2026-03-29T23:30:00Z')), '2026-03-30')
    assert.equal(londonToday(new Date('2026-10-24T23:30:00Z')), '2026-10-25')
    assert.equal(londonToday(new Date('2026-10-25T23:30:00Z')), '2026-10-25')
  })
})

describe('member rules', () => {
  test('a temporary mobility problem needs a review date, and no review date may be in the past', () => {
    assert.equal(
      reviewDateProblem('temporary-mobility', null, '2026-12-01'),
      'homeLibrary.errors.reviewRequired',
    )
    assert.equal(reviewDateProblem('housebound', '2026-11-30', '2026-12-01'), 'homeLibrary.errors.reviewPast')
    assert.equal(reviewDateProblem('temporary-mobility', '2026-12-01', '2026-12-01'), null)
    assert.equal(reviewDateProblem('housebound', null, '2026-12-01'), null)
  })

  test('paused until a return date, or open-ended', () => {
    const paused = { status: 'paused' as const, paused_until: '2026-12-10' }
    assert.equal(pausedOn(paused, '2026-12-09'), true)
    assert.equal(pausedOn(paused, '2026-12-10'), false)
    assert.equal(pausedOn({ status: 'paused', paused_until: null }, '2030-01-01'), true)
    assert.equal(pausedOn({ status: 'active', paused_until: null }, '2026-12-09'), false)
  })
})

describe('"already read" matching', () => {
  test('forgives case, punctuation, accents, a leading "The" and an author written surname first', () => {
    const key = matchKey('The Remains of the Day', 'Kazuo Ishiguro')
    assert.equal(matchKey('remains of the day', 'Ishiguro, Kazuo'), key)
    assert.equal(matchKey('  THE REMAINS OF THE DAY! ', 'kazuo  ishiguro'), key)
    assert.equal(
      matchKey('Girl, Woman, Other', 'Bernardine Evaristo'),
      matchKey('Girl Woman Other', 'Evaristo Bernardine'),
    )
    assert.equal(matchKey('Les Misérables', 'Victor Hugo'), matchKey('Les Miserables', 'Victor Hugo'))
    assert.equal(matchKey('People’s Friend', ''), matchKey('Peoples Friend', ''))
  })

  test('a different author, or "The" inside a word, is a different title', () => {
    assert.notEqual(matchKey('Rebecca', 'Daphne du Maurier'), matchKey('Rebecca', 'Someone Else'))
    assert.notEqual(matchKey('Theatre', 'A Writer'), matchKey('atre', 'A Writer'))
    assert.notEqual(matchKey('The Road', 'Cormac McCarthy'), matchKey('Road Home', 'Cormac McCarthy'))
  })
})

describe('figures', () => {
  test('visits on different days of a month tally into one row per month and measure', () => {
    const b = 'borough'
    const rows = tally([
      {
        borough_id: b,
        day: '2026-03-02',
        counts: visitCounts({ status: 'done', digital_minutes: 10 }, ['daisy']),
      },
      { borough_id: b, day: '2026-03-30', counts: visitCounts({ status: 'done', digital_minutes: 5 }, []) },
      { borough_id: b, day: '2026-04-01', counts: visitCounts({ status: 'missed', digital_minutes: 0 }, []) },
    ])
    const n = (month: string, measure: string) =>
      rows.find((r) => r.month === month && r.measure === measure)?.n
    assert.equal(n('2026-03', MEASURES.done), 2)
    assert.equal(n('2026-03', MEASURES.minutes), 15)
    assert.equal(n('2026-03', MEASURES.items('daisy')), 1)
    assert.equal(n('2026-04', MEASURES.missed), 1)
    assert.equal(rows.length, 4)
  })

  test('items fold into months and formats', () => {
    const f = emptyFigures('b', 'Westminster')
    addItems(f, '2026-03', 'large-print', 3)
    addItems(f, '2026-03', 'large-print', 2)
    addItems(f, '2026-04', 'daisy', 1)
    assert.equal(f.itemsByMonth['2026-03'], 5)
    assert.equal(f.items['2026-04']?.daisy, 1)
    assert.equal(f.itemsByFormat['large-print'], 5)
    assert.equal(f.itemsTotal, 6)
  })

  test("joiners, leavers by reason and people first visited fold in; the active count's moves are left to the date", () => {
    const f = emptyFigures('b', 'Westminster')
    const changes = [
      changeCounts({ status: 'active', reason: null, is_joining: true, active_delta: 1 }),
      changeCounts({ status: 'paused', reason: null, is_joining: false, active_delta: -1 }),
      changeCounts({ status: 'left', reason: 'died', is_joining: false, active_delta: 0 }),
    ]
    assert.deepEqual(changes[0], { [MEASURES.active]: 1, [MEASURES.joined]: 1 })
    assert.deepEqual(changes[2], { [MEASURES.left('died')]: 1 })
    for (const row of tally(changes.map((counts) => ({ borough_id: 'b', day: '2026-03-02', counts }))))
      addCount(f, row.month, row.measure, row.n)
    addCount(f, '2026-05', MEASURES.firstVisited, 2)
    assert.equal(f.joined, 1)
    assert.equal(f.left.died, 1)
    assert.equal(f.peopleVisited, 2)
    assert.equal(f.active, 0)
  })

  test('CSV cells that look like formulas are kept as text', () => {
    assert.equal(csvCell('=HYPERLINK("x")'), `'=HYPERLINK("x")`)
    assert.equal(csvCell('+44'), `'+44`)
    assert.equal(csvCell('-1'), `'-1`)
    assert.equal(csvCell('@SUM(A1)'), `'@SUM(A1)`)
    assert.equal(csvCell('Westminster'), 'Westminster')
    assert.equal(csvCell(-1), -1)
  })
})

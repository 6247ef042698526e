import assert from 'node:assert/strict'
import { test } from 'node:test'
import { period } from './figures.period.ts'
import { figureLines, figuresCsv, peopleHelped, safeCell } from './figures.ts'

const names = {
  place: (id: string | null) => (id ? `Place ${id}` : 'Online'),
  borough: (id: string) => id.toUpperCase(),
  kind: (k: string) => k,
}
const row = (startsAt: string, overrides = {}) => ({
  starts_at: startsAt,
  capacity: 8,
  booked: 6,
  borough_id: 'rbkc',
  kind: 'drop-in',
  location_id: 'a',
  attended: 5,
  no_shows: 1,
  ...overrides,
})

test('figures add up by month (London time), borough, place and type', () => {
  const lines = figureLines(
    [
      row('2027-01-05T10:00:00Z'),
      row('2027-01-12T10:00:00Z', { booked: 8, attended: 7, no_shows: 0 }),
      // 23:30 UTC on 31 March is 00:30 on 1 April in London.
      row('2027-03-31T23:30:00Z'),
      row('2027-01-06T10:00:00Z', { kind: 'course', location_id: null }),
    ],
    names,
  )
  assert.deepEqual(
    lines.map((l) => [l.month, l.place, l.kind, l.held, l.offered, l.taken, l.attended, l.noShows]),
    [
      ['2027-01', 'Online', 'course', 1, 8, 6, 5, 1],
      ['2027-01', 'Place a', 'drop-in', 2, 16, 14, 12, 1],
      ['2027-04', 'Place a', 'drop-in', 1, 8, 6, 5, 1],
    ],
  )
})

test('people helped counts people, not bookings', () => {
  assert.equal(
    peopleHelped([
      { id: '1', person_id: 'p', contact_key: null },
      { id: '2', person_id: 'p', contact_key: 'x@example.org' },
      { id: '3', person_id: null, contact_key: 'x@example.org' },
      { id: '4', person_id: null, contact_key: 'x@example.org' },
      { id: '5', person_id: null, contact_key: null },
    ]),
    3,
  )
})

test('the CSV opens in Excel: a byte-order mark, CRLF, and formulas kept as text', () => {
  assert.equal(safeCell('=HYPERLINK("x")'), `'=HYPERLINK("x")`)
  assert.equal(safeCell('-1'), "'-1")
  assert.equal(safeCell('@SUM(A1)'), "'@SUM(A1)")
  assert.equal(safeCell('Kensington'), 'Kensington')
  const csv = figuresCsv(figureLines([row('2027-01-05T10:00:00Z', { location_id: '=cmd' })], names))
  assert.ok(csv.startsWith('\uFEFFMonth,Borough,Place,Type,'))
  assert.match(csv, /\r\n2027-01,RBKC,Place =cmd,drop-in,1,8,6,5,1\r\n$/)
  const evil = figuresCsv(
    figureLines([row('2027-01-05T10:00:00Z')], { ...names, place: () => '+44 formula' }),
  )
  assert.match(evil, /,'\+44 formula,/)
})

test("the CSV carries the learners' progress per borough after the sessions, made safe the same way", () => {
  const csv = figuresCsv(figureLines([row('2027-01-05T10:00:00Z')], names), {
    from: '2027-01',
    to: '2027-03',
    learners: [
      { borough: 'RBKC', learners: 4, attended: 9, gained: 6 },
      { borough: '=WCC', learners: 1, attended: 2, gained: 0 },
    ],
  })
  const rows = csv.split('\r\n')
  assert.equal(rows[2], '')
  assert.equal(rows[3], 'Borough,From month,To month,Learners,Sessions attended by learners,Skills gained')
  assert.equal(rows[4], 'RBKC,2027-01,2027-03,4,9,6')
  assert.equal(rows[5], "'=WCC,2027-01,2027-03,1,2,0")
  assert.ok(!figuresCsv([]).includes('Learners'), 'no learners: no second table')
})

test('the period: months typed as month and year, or YYYY-MM from a link; a month that is not one is named', () => {
  const today = new Date('2027-06-15T12:00:00Z')
  const typed = period({ 'from-month': '1', 'from-year': '2027', 'to-month': '3', 'to-year': '2027' }, today)
  assert.deepEqual([typed.from, typed.to, typed.invalid], ['2027-01', '2027-03', []])
  assert.equal(typed.start, '2027-01-01T00:00:00.000Z')
  assert.equal(typed.end, '2027-03-31T23:00:00.000Z', 'the first of April in London, in summer time')
  assert.deepEqual(period({ from: '2027-02', to: '2027-04' }, today).from, '2027-02')
  const wrong = period({ 'from-month': '13', 'from-year': '2027' }, today)
  assert.deepEqual(wrong.invalid, ['from'])
  assert.deepEqual([wrong.from, wrong.to], ['2026-06', '2027-06'], 'the last twelve months instead')
})

import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { figureRows, figuresCsv, followUpFigures, medianDays, safeCell } from './figures.ts'

const WORDS = {
  kind: (k: string) => (k === 'laptop' ? 'Laptop' : k),
  using: (u: string) => `using ${u}`,
  use: (u: string) => u,
  asked: 'Followed up',
  heading: 'Follow-ups',
}

describe('device figures', () => {
  const counts = {
    received: [{ month: '2026-11', borough_id: 'b1', kind: 'laptop', n: 3 }],
    wiped: [{ month: '2026-11', borough_id: 'b1', kind: 'laptop', n: 2 }],
    handed: [
      { month: '2026-12', borough_id: 'b1', kind: 'laptop', allocation: 'loan', n: 1 },
      { month: '2026-12', borough_id: 'b1', kind: 'laptop', allocation: 'gift', n: 4 },
    ],
    returned: [{ month: '2026-12', borough_id: 'b1', kind: 'laptop', n: 1 }],
  }

  test('one row per month, borough and type, newest month first', () => {
    const rows = figureRows(counts, () => 'Westminster')
    assert.deepEqual(rows, [
      {
        month: '2026-12',
        borough: 'Westminster',
        kind: 'laptop',
        received: 0,
        wiped: 0,
        lent: 1,
        gifted: 4,
        returned: 1,
      },
      {
        month: '2026-11',
        borough: 'Westminster',
        kind: 'laptop',
        received: 3,
        wiped: 2,
        lent: 0,
        gifted: 0,
        returned: 0,
      },
    ])
  })

  test('median days from request to device', () => {
    const at = (d: string) => `${d}T10:00:00.000Z`
    assert.equal(medianDays([]), null)
    assert.equal(
      medianDays([
        { requested_at: at('2026-11-01'), handed_over_at: at('2026-11-05') },
        { requested_at: at('2026-11-01'), handed_over_at: at('2026-11-11') },
        { requested_at: at('2026-11-01'), handed_over_at: at('2026-11-02') },
      ]),
      4,
    )
  })

  test('CSV opens in Excel as UTF-8 and runs no formulas', () => {
    assert.equal(safeCell('=HYPERLINK("x")'), `'=HYPERLINK("x")`)
    assert.equal(safeCell('+44'), `'+44`)
    assert.equal(safeCell('@SUM'), `'@SUM`)
    assert.equal(safeCell(-3), -3)
    const rows = figureRows(counts, () => '=cmd|calc')
    const csv = figuresCsv(rows, followUpFigures([]), WORDS)
    assert.ok(csv.startsWith('\uFEFFMonth,Borough,Type,Received,Wiped,Lent,Given,Returned\r\n'))
    assert.match(csv, /2026-12,'=cmd\|calc,Laptop,0,0,1,4,1\r\n/)
  })

  test('the CSV counts the follow-ups too: is it used, and what for; Excel-safe like the rest', () => {
    const followUps = followUpFigures([
      { using_it: 'yes', uses_json: ['health', 'learning'] },
      { using_it: 'sometimes', uses_json: ['health'] },
      { using_it: 'no', uses_json: [] },
    ])
    const csv = figuresCsv(
      figureRows(counts, () => 'Westminster'),
      followUps,
      {
        ...WORDS,
        use: (u) => (u === 'health' ? '=Health' : u),
      },
    )
    const lines = csv.split('\r\n')
    const blank = lines.indexOf('')
    assert.equal(blank, 3, 'a blank line after the two monthly rows')
    assert.deepEqual(lines.slice(blank + 1, blank + 6), [
      'Follow-ups,Count',
      'Followed up,3',
      'using yes,1',
      'using sometimes,1',
      'using no,1',
    ])
    assert.ok(lines.includes("'=Health,2"), 'a word that looks like a formula is not run')
    assert.ok(lines.includes('learning,1'))
    assert.ok(lines.includes('leisure,0'), 'every use is listed, even when nobody gave it')
  })
})

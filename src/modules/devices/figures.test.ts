import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { figureRows, figuresCsv, medianDays, safeCell } from './figures.ts'

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
    const csv = figuresCsv(rows, (k) => (k === 'laptop' ? 'Laptop' : k))
    assert.ok(csv.startsWith('\uFEFFMonth,Borough,Type,Received,Wiped,Lent,Given,Returned\r\n'))
    assert.match(csv, /2026-12,'=cmd\|calc,Laptop,0,0,1,4,1\r\n/)
  })
})

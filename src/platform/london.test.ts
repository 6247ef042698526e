import assert from 'node:assert/strict'
import { test } from 'node:test'
import { londonToday } from './london.ts'

test("London's date turns at London's midnight, in summer and in winter, asked in any order", () => {
  const day = (iso: string) => londonToday(new Date(iso))
  assert.equal(day('2026-07-01T22:59:59.999Z'), '2026-07-01')
  assert.equal(day('2026-07-01T23:00:00.000Z'), '2026-07-02')
  assert.equal(day('2026-07-01T22:30:00.000Z'), '2026-07-01', 'an earlier hour again')
  assert.equal(day('2026-12-01T23:59:59.999Z'), '2026-12-01')
  assert.equal(day('2026-12-02T00:00:00.000Z'), '2026-12-02')
  assert.equal(day('2026-12-02T00:59:59.999Z'), '2026-12-02')
})

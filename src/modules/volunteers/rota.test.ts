import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { londonToUtc } from '#platform/london.ts'
import { type CHECK_NEEDS, expiresOn, shiftRefusal } from './rota.ts'

const active = {
  status: 'active',
  check: { dbs_level: 'enhanced', has_barred_list: false, renews_on: '2027-06-01' },
  training: [
    { course_id: 'safe', expires_on: '2027-01-10' },
    { course_id: 'comms', expires_on: null },
  ],
}
const name = (id: string) => ({ safe: 'Safeguarding', comms: 'Communication' })[id] ?? id
const shift = (over: Partial<Parameters<typeof shiftRefusal>[1]> = {}) => ({
  check_needed: 'enhanced' as (typeof CHECK_NEEDS)[number],
  courses_json: ['safe', 'comms'],
  day: '2027-01-05',
  ...over,
})

describe('rota rules', () => {
  test('a volunteer goes on a shift only when active, with the check and courses it needs counting on the day', () => {
    assert.equal(shiftRefusal(active, shift(), name), null)
    assert.equal(
      shiftRefusal({ ...active, status: 'paused' }, shift(), name),
      'volunteers.rota.gate.notActive',
    )
    assert.equal(shiftRefusal({ ...active, check: undefined }, shift(), name), 'volunteers.rota.gate.noCheck')
    assert.equal(
      shiftRefusal({ ...active, check: undefined }, shift({ check_needed: 'none', courses_json: [] }), name),
      null,
    )
    assert.equal(shiftRefusal(active, shift({ day: '2027-06-01' }), name), 'volunteers.rota.gate.checkLapsed')
    assert.equal(
      shiftRefusal(active, shift({ check_needed: 'enhanced-barred' }), name),
      'volunteers.rota.gate.checkLevel?level=volunteers.rota.check.enhanced-barred',
    )
    const basic = { ...active, check: { ...active.check, dbs_level: 'basic' } }
    assert.match(String(shiftRefusal(basic, shift({ check_needed: 'standard' }), name)), /checkLevel/)
    assert.equal(
      shiftRefusal(active, shift({ day: '2027-01-10' }), name),
      'volunteers.rota.gate.courseExpired?course=Safeguarding',
    )
    assert.equal(
      shiftRefusal(active, shift({ courses_json: ['data'] }), name),
      'volunteers.rota.gate.noCourse?course=data',
    )
  })

  test("a course's completion runs out the same day months later, or at the month's end", () => {
    assert.equal(expiresOn('2026-03-15', 12), '2027-03-15')
    assert.equal(expiresOn('2026-01-31', 1), '2026-02-28')
    assert.equal(expiresOn('2026-01-31', null), null)
  })

  test('London times become UTC instants; a time the clocks skip is none', () => {
    assert.equal(londonToUtc('2027-01-05', '09:30'), '2027-01-05T09:30:00.000Z')
    assert.equal(londonToUtc('2027-07-05', '09:30'), '2027-07-05T08:30:00.000Z')
    assert.equal(londonToUtc('2027-03-28', '01:30'), null)
  })
})

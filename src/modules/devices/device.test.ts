import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  canMove,
  DEVICE_STATES,
  DEVICE_TRANSITIONS,
  dueDateProblem,
  iccidValid,
  imeiValid,
  luhnCheckDigit,
  luhnValid,
  statesBefore,
} from './device.ts'

describe('device rules', () => {
  test('IMEI: 15 digits with a Luhn check digit; spaces and dashes as printed are fine', () => {
    assert.equal(imeiValid('490154203237518'), true)
    assert.equal(imeiValid('49-015420-323751-8'), true)
    assert.equal(imeiValid('490154203237517'), false, 'wrong check digit')
    assert.equal(imeiValid('49015420323751'), false, 'too short')
    assert.equal(imeiValid('49015420323751A'), false)
  })

  test('ICCID: starts 89, 19 or 20 digits, Luhn over the digits; a trailing F filler is dropped', () => {
    const partial = '894411000000000123'
    const good = partial + luhnCheckDigit(partial)
    assert.equal(iccidValid(good), true)
    assert.equal(iccidValid(`${good}F`), true)
    const wrong = partial + ((Number(luhnCheckDigit(partial)) + 1) % 10)
    assert.equal(iccidValid(wrong), false)
    assert.equal(iccidValid(`79${good.slice(2)}`), false, 'not a telecom ICCID')
    assert.equal(luhnValid('79927398713'), true)
    assert.equal(luhnValid('79927398710'), false)
  })

  test('the lifecycle: allowed moves, and nothing out of gifted or retired', () => {
    assert.ok(canMove('received', 'wiping'))
    assert.ok(canMove('wiping', 'ready'))
    assert.ok(canMove('ready', 'allocated'))
    assert.ok(canMove('allocated', 'on-loan'))
    assert.ok(canMove('allocated', 'gifted'))
    assert.ok(canMove('on-loan', 'returned'))
    assert.ok(canMove('returned', 'wiping'))
    assert.ok(!canMove('received', 'allocated'))
    assert.ok(!canMove('on-loan', 'allocated'))
    assert.ok(!canMove('returned', 'ready'), 'back to wiping first')
    assert.ok(!canMove('ready', 'returned'))
    assert.deepEqual(DEVICE_TRANSITIONS.gifted, [])
    assert.deepEqual(DEVICE_TRANSITIONS.retired, [])
    assert.deepEqual(statesBefore('allocated'), ['ready'])
    for (const s of DEVICE_STATES)
      for (const to of DEVICE_TRANSITIONS[s]) assert.ok(DEVICE_STATES.includes(to))
  })

  test('a due date is today at the earliest and within a year', () => {
    assert.equal(dueDateProblem('2026-11-30', '2026-12-01'), 'past')
    assert.equal(dueDateProblem('2026-12-01', '2026-12-01'), null)
    assert.equal(dueDateProblem('2027-03-01', '2026-12-01'), null)
    assert.equal(dueDateProblem('2027-12-02', '2026-12-01'), 'too-far')
  })
})

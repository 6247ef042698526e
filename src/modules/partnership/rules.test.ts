import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { reminderDue } from './action.ts'
import { canMove, covers, lapsingWithin, pastReview } from './agreement.ts'

const agreement = {
  status: 'in-force' as const,
  purposes: ['referral'],
  dataItems: ['name', 'needs'],
  startsOn: '2027-01-01',
  reviewOn: '2027-12-31',
}

describe('data-sharing agreement rules', () => {
  test('covers a disclosure only in force, in its dates, for its purpose and every item', () => {
    const d = { purpose: 'referral', dataItems: ['name'] }
    assert.equal(covers(agreement, d, '2027-06-01'), true)
    assert.equal(covers(agreement, d, '2026-12-31'), false, 'before it starts')
    assert.equal(covers(agreement, d, '2028-01-01'), false, 'past its review date')
    assert.equal(covers({ ...agreement, status: 'draft' }, d, '2027-06-01'), false)
    assert.equal(covers(agreement, { purpose: 'referral-status', dataItems: ['name'] }, '2027-06-01'), false)
    assert.equal(
      covers(agreement, { purpose: 'referral', dataItems: ['name', 'health'] }, '2027-06-01'),
      false,
    )
  })

  test('lapsing within the warning days, past review after it', () => {
    assert.equal(lapsingWithin(agreement, '2027-12-01', 30), true)
    assert.equal(lapsingWithin(agreement, '2027-11-01', 30), false)
    assert.equal(pastReview(agreement, '2027-12-31'), false)
    assert.equal(pastReview(agreement, '2028-01-01'), true)
  })

  test('status moves', () => {
    assert.equal(canMove('draft', 'in-force'), true)
    assert.equal(canMove('draft', 'lapsed'), false)
    assert.equal(canMove('lapsed', 'in-force'), true)
    assert.equal(canMove('ended', 'in-force'), false)
  })
})

describe('action reminders', () => {
  const open = { status: 'open' as const, dueOn: '2027-05-10', remindedBeforeOn: null, remindedAfterOn: null }
  test('before within the days, after once that overdue, each once per due date', () => {
    assert.equal(reminderDue(open, '2027-05-06', 3, 3), null)
    assert.equal(reminderDue(open, '2027-05-07', 3, 3), 'before')
    assert.equal(reminderDue({ ...open, remindedBeforeOn: '2027-05-10' }, '2027-05-08', 3, 3), null)
    assert.equal(reminderDue({ ...open, remindedBeforeOn: '2027-05-01' }, '2027-05-08', 3, 3), 'before')
    assert.equal(reminderDue(open, '2027-05-12', 3, 3), null)
    assert.equal(reminderDue(open, '2027-05-13', 3, 3), 'after')
    assert.equal(reminderDue({ ...open, remindedAfterOn: '2027-05-10' }, '2027-05-20', 3, 3), null)
    assert.equal(reminderDue({ ...open, status: 'done' }, '2027-05-13', 3, 3), null)
  })
})

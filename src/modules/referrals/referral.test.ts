import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  allowedNext,
  decideTransition,
  digestDue,
  FHIR_TASK_STATUS,
  formatReference,
  NEED_STATES,
  newReference,
  OUTCOMES,
  parseReference,
  REFERENCE_ALPHABET,
  referralStatus,
  TRANSITIONS,
  workingDaysAfter,
  workingDaysBefore,
} from './referral.ts'

const facts = { contactAttempts: 3, minContactAttempts: 3 }
const FHIR_TASK_CODES = new Set([
  'draft',
  'requested',
  'received',
  'accepted',
  'rejected',
  'ready',
  'cancelled',
  'in-progress',
  'on-hold',
  'failed',
  'completed',
  'entered-in-error',
])

describe('need states', () => {
  test('every state maps to a real HL7 FHIR Task status', () => {
    for (const s of NEED_STATES) assert.ok(FHIR_TASK_CODES.has(FHIR_TASK_STATUS[s]), s)
  })

  test('every move in the table is allowed, and every move not in it is refused', () => {
    for (const from of NEED_STATES) {
      for (const to of NEED_STATES) {
        const request = {
          to,
          outcome: to === 'outcome-recorded' ? ('got-help' as const) : undefined,
          reason: 'Reason',
          signposting: 'Somewhere else',
        }
        const result = decideTransition(from, request, facts)
        const listed = TRANSITIONS[from].includes(to)
        assert.equal(result.ok, listed, `${from} -> ${to}`)
        if (!listed) assert.deepEqual(result, { ok: false, refusal: 'not-allowed', field: 'to' })
      }
    }
  })

  test('finished states go nowhere; an outcome only leads to closed', () => {
    for (const s of ['closed', 'declined', 'withdrawn'] as const) assert.deepEqual(allowedNext(s), [])
    assert.deepEqual(allowedNext('outcome-recorded'), ['closed'])
  })

  test('declining needs a reason and signposting', () => {
    assert.deepEqual(decideTransition('in-triage', { to: 'declined', signposting: 'x' }, facts), {
      ok: false,
      refusal: 'reason-required',
      field: 'reason',
    })
    assert.deepEqual(
      decideTransition('in-triage', { to: 'declined', reason: 'x', signposting: '  ' }, facts),
      {
        ok: false,
        refusal: 'signposting-required',
        field: 'signposting',
      },
    )
  })

  test('an outcome is required for outcome-recorded, and refused on any other move', () => {
    assert.equal(decideTransition('routed', { to: 'outcome-recorded' }, facts).ok, false)
    assert.deepEqual(decideTransition('routed', { to: 'scheduled', outcome: 'got-help' }, facts), {
      ok: false,
      refusal: 'outcome-not-allowed',
      field: 'outcome',
    })
    for (const outcome of OUTCOMES) {
      const r = decideTransition('in-progress', { to: 'outcome-recorded', outcome }, facts)
      assert.deepEqual(r, { ok: true, status: 'outcome-recorded', outcome })
    }
  })

  test('"did not attend" only once help was arranged; "could not contact" only after enough attempts', () => {
    assert.equal(
      decideTransition('routed', { to: 'outcome-recorded', outcome: 'did-not-attend' }, facts).ok,
      false,
    )
    assert.equal(
      decideTransition('scheduled', { to: 'outcome-recorded', outcome: 'did-not-attend' }, facts).ok,
      true,
    )
    const few = { contactAttempts: 2, minContactAttempts: 3 }
    assert.deepEqual(
      decideTransition('needs-information', { to: 'outcome-recorded', outcome: 'could-not-contact' }, few),
      {
        ok: false,
        refusal: 'too-few-contact-attempts',
        field: 'outcome',
      },
    )
    assert.equal(
      decideTransition('needs-information', { to: 'outcome-recorded', outcome: 'could-not-contact' }, facts)
        .ok,
      true,
    )
  })

  test('the referral status follows its needs', () => {
    assert.equal(referralStatus(['submitted', 'submitted']), 'submitted')
    assert.equal(referralStatus(['submitted', 'in-triage']), 'in-progress')
    assert.equal(referralStatus(['closed', 'declined', 'withdrawn']), 'closed')
    assert.equal(referralStatus(['closed', 'routed']), 'in-progress')
  })
})

describe('references', () => {
  test('8 characters from the alphabet, shown as XXXX-XXXX, read back in any case or spacing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        let x = seed
        const ref = newReference((max) => {
          x = (x * 1103515245 + 12345) % 2 ** 31
          return x % max
        })
        assert.match(ref, /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/)
        const shown = formatReference(ref)
        assert.match(shown, /^.{4}-.{4}$/)
        assert.equal(parseReference(shown.toLowerCase()), ref)
        assert.equal(parseReference(` ${shown.slice(0, 4)} ${shown.slice(5)} `), ref)
      }),
    )
    assert.equal(REFERENCE_ALPHABET.length, 32)
    assert.equal(newReference().length, 8)
  })

  test('anything else is not a reference', () => {
    for (const bad of [
      '',
      'ABCD-EFG',
      'ABCD-EFGHJ',
      'ABCD-EFG0',
      'ABCD-EFGI',
      'ABCD-EFG1',
      'ABCD-EFGO',
      42,
      null,
    ])
      assert.equal(parseReference(bad), null, String(bad))
  })
})

describe('working days', () => {
  const none = new Set<string>()
  test('weekends and bank holidays are skipped', () => {
    // Monday 30 November 2026, 5 working days back is Monday 23 November.
    assert.equal(
      workingDaysBefore(new Date('2026-11-30T10:00:00Z'), 5, none).toISOString().slice(0, 10),
      '2026-11-23',
    )
    // Friday 24 December 2027 + 1 working day skips the weekend and both bank holidays (27 and 28).
    assert.equal(
      workingDaysAfter(new Date('2027-12-24T10:00:00Z'), 1, new Set(['2027-12-27', '2027-12-28'])),
      '2027-12-29',
    )
    assert.equal(workingDaysAfter(new Date('2026-11-27T10:00:00Z'), 5, none), '2026-12-04')
  })
})

describe('the daily digest', () => {
  test('is due on working days from 7am London time only', () => {
    const none = new Set<string>()
    assert.equal(digestDue(new Date('2026-11-30T06:59:00Z'), none), false)
    assert.equal(digestDue(new Date('2026-11-30T07:00:00Z'), none), true)
    // In summer London is an hour ahead: 06:30 UTC is 07:30 there.
    assert.equal(digestDue(new Date('2026-07-01T06:30:00Z'), none), true)
    assert.equal(digestDue(new Date('2026-11-28T10:00:00Z'), none), false, 'Saturday')
    assert.equal(digestDue(new Date('2026-12-25T10:00:00Z'), new Set(['2026-12-25'])), false, 'bank holiday')
  })
})

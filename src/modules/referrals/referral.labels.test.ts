import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { APP_ROOT } from '#tests/support/hub.ts'
import { labels, OUTCOME_LABELS, STATE_LABELS } from './referral.labels.ts'
import { NEED_KINDS, NEED_STATES, OUTCOMES } from './referral.ts'

test('every state, outcome and kind of need has words of its own, not its code', () => {
  for (const s of NEED_STATES) {
    assert.notEqual(labels.state(s), s)
    assert.match(labels.state(s), /^[A-Z][a-z]/, s)
  }
  for (const o of OUTCOMES) assert.notEqual(labels.outcome(o), o)
  for (const k of NEED_KINDS) assert.notEqual(labels.kind(k), k)
  assert.equal(labels.state('in-triage'), 'In triage')
  assert.equal(labels.outcome('could-not-contact'), 'Could not contact')
  assert.equal(new Set(Object.values(OUTCOME_LABELS)).size, OUTCOMES.length, 'no two outcomes read alike')
  assert.equal(
    new Set(Object.values(STATE_LABELS).map((l) => l.text)).size,
    NEED_STATES.length,
    'no two states read alike',
  )
})

test("each state's tag colour is one govuk-frontend styles, and finished and refused states stand apart", () => {
  const scss = fs.readFileSync(
    path.join(APP_ROOT, 'node_modules/govuk-frontend/dist/govuk/components/tag/_mixin.scss'),
    'utf8',
  )
  for (const s of NEED_STATES) {
    const { classes } = labels.stateTag(s)
    if (classes) assert.ok(scss.includes(`.${classes} {`), `${s}: ${classes} is a govuk-frontend tag class`)
  }
  assert.equal(labels.stateTag('declined').classes, 'govuk-tag--red')
  assert.equal(labels.stateTag('outcome-recorded').classes, 'govuk-tag--green')
  assert.notEqual(labels.stateTag('in-triage').classes, labels.stateTag('submitted').classes)
})

test('an unknown code is shown as it is rather than hidden', () => {
  assert.equal(labels.state('something-new'), 'something-new')
  assert.equal(labels.outcome(null), '')
  assert.equal(labels.event('__proto__'), '__proto__')
})

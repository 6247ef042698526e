import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { APP_ROOT } from '#tests/support/hub.ts'
import { referralWords, STATE_TAGS } from './referral.labels.ts'
import { englishTranslator } from './referral.notices.ts'
import { NEED_KINDS, NEED_STATES, OUTCOMES } from './referral.ts'
import { CONTACT_ATTEMPT_METHODS, CONTACT_ATTEMPT_RESULTS } from './staff.schemas.ts'

const t = englishTranslator(APP_ROOT)
const labels = referralWords(t)

test('every state, outcome, kind of need and contact code has words of its own in the locale file', () => {
  const groups: [string, readonly string[]][] = [
    ['states', NEED_STATES],
    ['referralStatus', ['submitted', 'in-progress', 'closed']],
    ['outcomes', OUTCOMES],
    ['needKinds', NEED_KINDS],
    ['contactMethods', CONTACT_ATTEMPT_METHODS],
    ['contactResults', CONTACT_ATTEMPT_RESULTS],
  ]
  for (const [group, codes] of groups) {
    // The locale file holds them: a missing word throws rather than showing the code.
    const words = codes.map((c) => t(`triage.${group}.${c}`))
    for (const [i, w] of words.entries()) assert.match(w, /^[A-Z][a-z ]/, `${group}.${codes[i]}`)
    assert.equal(new Set(words).size, codes.length, `no two ${group} read alike`)
  }
  assert.equal(labels.state('in-triage'), 'In triage')
  assert.equal(labels.outcome('could-not-contact'), 'Could not contact')
  assert.equal(labels.kind('home-library'), 'Home Library Service')
  assert.equal(labels.referralTag('closed').text, 'Closed')
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
  assert.deepEqual(Object.keys(STATE_TAGS).sort(), [...NEED_STATES].sort())
  assert.equal(labels.stateTag('declined').classes, 'govuk-tag--red')
  assert.equal(labels.stateTag('outcome-recorded').classes, 'govuk-tag--green')
  assert.notEqual(labels.stateTag('in-triage').classes, labels.stateTag('submitted').classes)
})

test('an unknown code is shown as it is rather than hidden', () => {
  assert.equal(labels.state('something-new'), 'something-new')
  assert.deepEqual(labels.stateTag('__proto__'), { text: '__proto__', classes: '' })
  assert.equal(labels.outcome(null), '')
  assert.equal(labels.method('constructor'), 'constructor')
})

test('no map of codes to words is left in the referrals code or its templates', () => {
  const dir = path.join(APP_ROOT, 'src/modules/referrals')
  const files = fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|njk)$/.test(f) && !f.endsWith('.test.ts'))
  // The words that used to live in maps here: each is now only in locales/en.json.
  const moved = [
    'Routed to a team',
    'On a waiting list',
    'No capacity, referred elsewhere',
    'Left a voicemail',
  ]
  for (const file of files) {
    const source = fs.readFileSync(path.join(dir, file), 'utf8')
    for (const words of moved) assert.ok(!source.includes(`'${words}'`), `${file} holds “${words}”`)
  }
})

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { APP_ROOT } from '#tests/support/hub.ts'
import { passwordProblem } from './password.ts'

test('a password with any part of the name or email address in it is refused', () => {
  const context = ['Ana María Okafor-Reyes', 'ana.okafor', 'hub.example.org']
  for (const password of [
    'okafor-is-my-secret-9',
    'MARÍA-sunflower-road-7',
    'Reyes8-lantern-quietly',
    'ana-under-the-lantern-4',
    'lantern-example-river-2',
  ]) {
    assert.match(passwordProblem(password, APP_ROOT, context) ?? '', /name or email address/, password)
  }
  assert.equal(passwordProblem('lantern-quietly-river-7', APP_ROOT, context), null)
})

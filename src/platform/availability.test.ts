import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { DatabaseMonitor } from './availability.ts'

const TIMEOUT_MS = 40

/**
 * A database whose answers the test sets, one ping at a time: 'yes', a quick 'no' (refused), or 'slow'
 * (no answer within the monitor's timeout). The monitor's rule is what is tested here.
 */
function answering(...answers: ('yes' | 'no' | 'slow')[]) {
  return {
    async ping() {
      const answer = answers.shift() ?? 'yes'
      if (answer === 'slow') await sleep(TIMEOUT_MS)
      return answer === 'yes'
    },
    describe: () => 'test database',
  }
}

const quiet = { warn() {}, info() {} }

test('one slow answer on a busy machine is not an outage; two in a row are', async () => {
  const monitor = new DatabaseMonitor(answering('slow', 'yes', 'slow', 'slow', 'yes'), quiet, TIMEOUT_MS)
  await monitor.check()
  assert.equal(monitor.available, true, 'one slow answer')
  await monitor.check()
  await monitor.check()
  assert.equal(monitor.available, true, 'a slow answer after a good one starts the count again')
  await monitor.check()
  assert.equal(monitor.available, false, 'two slow answers in a row')
  await monitor.check()
  assert.equal(monitor.available, true, 'one answer brings it back')
})

test('a refusal is an outage at once, and so is one slow answer after a request met a database error', async () => {
  const refused = new DatabaseMonitor(answering('no'), quiet, TIMEOUT_MS)
  await refused.check()
  assert.equal(refused.available, false)
  const afterError = new DatabaseMonitor(answering('slow'), quiet, TIMEOUT_MS)
  await afterError.check(true)
  assert.equal(afterError.available, false)
})

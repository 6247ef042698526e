import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DatabaseMonitor } from './availability.ts'

/** A database whose answers the test sets, one ping at a time: the monitor's rule is what is tested here. */
function answering(...answers: boolean[]) {
  return { ping: async () => answers.shift() ?? true, describe: () => 'test database' }
}

const quiet = { warn() {}, info() {} }

test('one missed answer on a busy machine is not an outage; two in a row are', async () => {
  const monitor = new DatabaseMonitor(answering(false, true, false, false, true), quiet)
  await monitor.check()
  assert.equal(monitor.available, true, 'one miss')
  await monitor.check()
  await monitor.check()
  assert.equal(monitor.available, true, 'a miss after an answer starts the count again')
  await monitor.check()
  assert.equal(monitor.available, false, 'two misses in a row')
  await monitor.check()
  assert.equal(monitor.available, true, 'one answer brings it back')
})

test('after a request met a database error, one missed answer is enough', async () => {
  const monitor = new DatabaseMonitor(answering(false), quiet)
  await monitor.check(true)
  assert.equal(monitor.available, false)
})

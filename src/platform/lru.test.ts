import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Lru } from './lru.ts'

test('when full, the entry least recently read or written goes first', () => {
  const kept = new Lru<string, number>(2)
  kept.set('a', 1)
  kept.set('b', 2)
  assert.equal(kept.get('a'), 1)
  kept.set('c', 3)
  assert.equal(kept.has('b'), false)
  assert.equal(kept.get('a'), 1)
  kept.set('c', 4)
  kept.set('d', 5)
  assert.equal(kept.has('a'), false, 'writing c again made it the most recent')
  assert.deepEqual([kept.get('c'), kept.get('d'), kept.size], [4, 5, 2])
})

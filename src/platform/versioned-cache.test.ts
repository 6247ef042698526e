import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VersionedCache } from './versioned-cache.ts'

test('the versioned cache keeps values of the newest version it has seen, and at most its limit of them', async () => {
  const cache = new VersionedCache<string>(2)
  let reads = 0
  const read = (value: string) => async () => {
    reads++
    return value
  }
  assert.equal(await cache.get(5, 'a', read('a5')), 'a5')
  assert.equal(await cache.get(5, 'a', read('not read')), 'a5', 'kept for its version')
  assert.equal(await cache.get(4, 'b', read('b4')), 'b4', 'an older version is read for its caller')
  assert.equal(await cache.get(5, 'b', read('b5')), 'b5', 'but not kept')
  assert.equal(await cache.get(6, 'a', read('a6')), 'a6', 'a newer version is not answered from an older one')
  assert.equal(await cache.get(6, 'c', read('c6')), 'c6')
  assert.equal(await cache.get(6, 'd', read('d6')), 'd6')
  assert.equal(await cache.get(6, 'a', read('a6 again')), 'a6 again', 'the oldest kept went first')
  assert.equal(reads, 7)
})

test('requests asking at once share one read; a read that fails is not kept', async () => {
  const cache = new VersionedCache<number>()
  let reads = 0
  const slow = async () => {
    reads++
    await new Promise((r) => setTimeout(r, 5))
    return 42
  }
  assert.deepEqual(await Promise.all([cache.get(1, 'k', slow), cache.get(1, 'k', slow)]), [42, 42])
  assert.equal(reads, 1)
  await assert.rejects(
    cache.get(1, 'broken', async () => {
      throw new Error('database away')
    }),
  )
  assert.equal(await cache.get(1, 'broken', async () => 7), 7)
})

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VersionedCache } from './versioned-cache.ts'

test('the versioned cache keeps values of the newest version it has seen, and at most its limit of them', () => {
  const cache = new VersionedCache<string>(2)
  assert.equal(cache.keep(5, 'a', 'a5'), 'a5')
  assert.equal(cache.get(5, 'a'), 'a5')
  assert.equal(cache.get(6, 'a'), undefined, 'a newer version is not answered from an older one')
  assert.equal(cache.keep(4, 'b', 'b4'), 'b4', 'an older version computed late is handed back')
  assert.equal(cache.get(4, 'b'), undefined, 'but not kept')
  assert.equal(cache.get(5, 'a'), 'a5')
  cache.keep(6, 'b', 'b6')
  assert.equal(cache.get(5, 'a'), undefined, 'a newer version empties it')
  cache.keep(6, 'c', 'c6')
  cache.keep(6, 'd', 'd6')
  assert.deepEqual(
    ['b', 'c', 'd'].map((k) => cache.get(6, k)),
    [undefined, 'c6', 'd6'],
    'the oldest kept goes first',
  )
})

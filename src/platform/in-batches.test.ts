import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readInBatches } from './in-batches.ts'

test('many ids are read a batch at a time and the rows joined in order', async () => {
  const ids = Array.from({ length: 1201 }, (_, i) => `id-${i}`)
  const batches: number[] = []
  const rows = await readInBatches(ids, async (batch) => {
    batches.push(batch.length)
    return batch.map((id) => ({ id }))
  })
  assert.deepEqual(batches, [500, 500, 201])
  assert.deepEqual(
    rows.map((r) => r.id),
    ids,
  )
  assert.deepEqual(await readInBatches([], async () => [1]), [])
})

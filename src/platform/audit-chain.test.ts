import assert from 'node:assert/strict'
import { createHash, createHmac } from 'node:crypto'
import { test } from 'node:test'
import { hashValues } from './audit-chain.ts'

const ROW = [7, '2026-12-02T10:00:00.000Z', null, 'staff', 'referral.viewed', 'referral', 'abc', ['search']]

test("a row's hash is HMAC-SHA256 of its JSON, whatever the key's length or characters", () => {
  const keys = [
    'k',
    'a'.repeat(64),
    'b'.repeat(65),
    `clé-${'é'.repeat(40)}`,
    'audit-key-of-at-least-32-characters',
  ]
  for (const key of keys)
    for (const values of [ROW, [...ROW, 'Zoë 😀 \u2028 "quoted" \\'], [...ROW, 'x'.repeat(5000)]]) {
      const expected = createHmac('sha256', key).update(JSON.stringify(values)).digest('hex')
      assert.equal(
        hashValues(values, key),
        expected,
        `key of ${key.length}, JSON of ${JSON.stringify(values).length}`,
      )
    }
})

test('rows from before keys keep their plain SHA-256', () => {
  assert.equal(hashValues(ROW, null), createHash('sha256').update(JSON.stringify(ROW)).digest('hex'))
})

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { bytewise, prefixEnd, searchKeysOf, searchTermsOf, searchWordsOf } from './search-words.ts'

test('a referral is found by each word of its name and by its postcode without the space', () => {
  assert.deepEqual(searchWordsOf("  Siobhan O'Brien-SMYTHE ", 'W2 5AB'), [
    'siobhan',
    'obrien',
    'smythe',
    'w25ab',
  ])
  assert.deepEqual(searchWordsOf('Zoë Ångström', null), ['zoë', 'ångström'])
  assert.deepEqual(searchWordsOf('Ana Ana', 'SW3 5EE'), ['ana', 'sw35ee'], 'each word once')
  assert.deepEqual(searchWordsOf('محمد الأحمد', null), ['محمد', 'الأحمد'])
})

test('what staff type is read as the words are written, with the whole of it for a postcode', () => {
  assert.deepEqual(searchTermsOf("O'Brien"), { words: ['obrien'], whole: null })
  assert.deepEqual(searchTermsOf('o’brien'), { words: ['obrien'], whole: null })
  assert.deepEqual(searchTermsOf('Smith-Jones'), { words: ['smith', 'jones'], whole: 'smith-jones' })
  assert.deepEqual(searchTermsOf('W2 5AB'), { words: ['w2', '5ab'], whole: 'w25ab' })
  assert.deepEqual(searchTermsOf('w25'), { words: ['w25'], whole: null })
  assert.equal(searchTermsOf(' - , '), null)
})

test('the end of a prefix range is the first string after every string that starts with it', () => {
  assert.equal(prefixEnd('smi'), 'smj')
  assert.equal(prefixEnd('z'), '{')
  assert.equal(prefixEnd('zoë'), 'zoì')
  assert.equal(prefixEnd('a\u{d7ff}'), 'a\u{e000}')
  assert.equal(prefixEnd('a\u{1f600}'), 'a\u{1f601}')
  // In UTF-8 byte order, as SQLite and PostgreSQL's "C" collation compare.
  const bytes = (s: string) => Buffer.from(s, 'utf8')
  for (const [prefix, word] of [
    ['smi', 'smith'],
    ['zo', 'zoë'],
    ['a\u{ffff}', 'a\u{ffff}\u{10000}'],
  ] as const) {
    assert.ok(Buffer.compare(bytes(prefix), bytes(word)) <= 0)
    assert.ok(Buffer.compare(bytes(word), bytes(prefixEnd(prefix))) < 0, `${word} before the end`)
  }
  assert.ok(Buffer.compare(bytes('smj'), bytes(prefixEnd('smi'))) >= 0)
})

test('a referral is stored under its words and each two of them as a pair, the first in byte order', () => {
  assert.deepEqual(searchKeysOf(['smythe', 'máire', 'w25ab']), [
    'smythe',
    'máire',
    'w25ab',
    ' máire smythe',
    ' máire w25ab',
    ' smythe w25ab',
  ])
  assert.deepEqual(searchKeysOf(['ana']), ['ana'], 'one word, no pairs')
  // Byte order, as the databases compare the column: by code point, not by UTF-16 unit.
  const bytes = (s: string) => Buffer.from(s, 'utf8')
  for (const [a, b] of [
    ['zoë', 'zoe'],
    ['a\u{ffff}', 'a\u{10000}'],
    ['\u{e000}', '\u{1f600}'],
    ['ab', 'a'],
  ] as const)
    assert.equal(Math.sign(bytewise(a, b)), Buffer.compare(bytes(a), bytes(b)), `${a} against ${b}`)
  assert.ok(bytewise('\u{fb01}', '\u{1f600}') < 0, 'a UTF-16 sort would put the emoji first')
})

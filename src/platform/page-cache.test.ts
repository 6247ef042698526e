import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PageCache } from './page-cache.ts'

test('a kept page comes back with the nonce of the response it is sent in', () => {
  const pages = new PageCache()
  pages.set('k', '<script nonce="n1">a</script><p>n1 is not in the text twice by chance</p>', 'n1')
  assert.equal(
    pages.get('k', 'n2'),
    '<script nonce="n2">a</script><p>n2 is not in the text twice by chance</p>',
  )
  assert.equal(pages.get('other', 'n2'), undefined)
  assert.equal(
    pages.get('k', 'n3'),
    '<script nonce="n3">a</script><p>n3 is not in the text twice by chance</p>',
    'and again, with the next',
  )
})

test('when full, the page least recently asked for goes first', () => {
  const pages = new PageCache(2)
  pages.set('a', 'A', 'x')
  pages.set('b', 'B', 'x')
  assert.equal(pages.get('a', 'x'), 'A')
  pages.set('c', 'C', 'x')
  assert.equal(pages.get('b', 'x'), undefined)
  assert.equal(pages.get('a', 'x'), 'A')
  assert.equal(pages.get('c', 'x'), 'C')
})

test('when the pages kept pass the bytes allowed (two a character), the least recently asked for go first', () => {
  const pages = new PageCache(100, 20)
  pages.set('a', 'AAAA', 'x')
  pages.set('b', 'BBBB', 'x')
  assert.equal(pages.get('a', 'x'), 'AAAA')
  pages.set('c', 'CCCC', 'x')
  assert.equal(pages.get('b', 'x'), undefined)
  assert.equal(pages.get('a', 'x'), 'AAAA')
  assert.equal(pages.get('c', 'x'), 'CCCC')
  pages.set('c', 'CC', 'x')
  pages.set('d', 'DDDD', 'x')
  assert.equal(pages.get('a', 'x'), 'AAAA', 'a page kept again is counted at its new size')
  pages.set('big', 'B'.repeat(11), 'x')
  assert.equal(pages.get('big', 'x'), undefined, 'a page larger than the whole cache is not kept')
  assert.equal(pages.get('d', 'x'), 'DDDD')
})

test('by default it keeps no more than 4 MB of pages (some 80 find-help pages of 25,000 characters)', () => {
  const pages = new PageCache()
  const page = (i: number) => `<p nonce="x">${String(i).padStart(5, '0')}</p>${'é'.repeat(25_000)}`
  for (let i = 0; i < 100; i++) pages.set(`k${i}`, page(i), 'x')
  const kept = Array.from({ length: 100 }, (_, i) => pages.get(`k${i}`, 'x') !== undefined)
  assert.equal(kept.filter(Boolean).length, 83)
  assert.deepEqual(kept.slice(0, 17), Array(17).fill(false), 'the first kept went first')
})

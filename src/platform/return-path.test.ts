import assert from 'node:assert/strict'
import { test } from 'node:test'
import { returnPath } from './return-path.ts'

test('a return address is a path of this site, or the home page', () => {
  for (const hostile of [
    '/\\evil.example',
    '/\t/evil.example',
    '//evil.example',
    '///evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    '/x\r\nSet-Cookie: a=b',
    '',
    undefined,
    ['/a', '/b'],
  ]) {
    assert.equal(returnPath(hostile), '/', JSON.stringify(hostile))
  }
  assert.equal(returnPath('/refer/check?change=1#name'), '/refer/check?change=1#name')
  assert.equal(returnPath('/%2F%2Fevil.example'), '/%2F%2Fevil.example', 'an encoded slash stays a path')
})

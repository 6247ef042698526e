import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cspHeader, helmetHeader, nonce } from './csp.ts'

const DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: [],
}

describe('Content-Security-Policy', () => {
  it('is, for each pair of nonces, the header helmet builds from the same directives', () => {
    const header = cspHeader(DIRECTIVES)
    for (let i = 0; i < 5; i++) {
      const nonces = { script: nonce(), style: nonce() }
      const expected = helmetHeader(DIRECTIVES, nonces)
      assert.match(expected, new RegExp(`script-src 'self' 'nonce-${nonces.script}'`))
      assert.match(expected, new RegExp(`style-src 'self' 'nonce-${nonces.style}'`))
      assert.equal(header(nonces), expected)
    }
  })

  it('hands out a different nonce each time, 128 bits in hex', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => nonce()))
    assert.equal(seen.size, 1000)
    for (const n of seen) assert.match(n, /^[0-9a-f]{32}$/)
  })
})

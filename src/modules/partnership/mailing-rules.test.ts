import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { addressProblem, bounceKindOf, scoreAfter, signLink, verifyLink } from './mailing-rules.ts'

describe('mailing rules', () => {
  test('addresses: missing, malformed and throwaway ones are told apart', () => {
    assert.equal(addressProblem('  '), 'missing')
    assert.equal(addressProblem('someone@'), 'format')
    assert.equal(addressProblem('some one@example.org'), 'format')
    assert.equal(addressProblem('someone@localhost'), 'format')
    assert.equal(addressProblem('x@mailinator.com'), 'disposable')
    assert.equal(addressProblem('x@eu.mailinator.com'), 'disposable')
    assert.equal(addressProblem('x@my-tempmail.io'), 'disposable')
    assert.equal(addressProblem(' Ana.Silva@Example.ORG '), null)
    assert.equal(addressProblem('ana@contemporary.org.uk'), null)
  })

  test('a hard bounce stops at once; soft ones stop only five in a row, and a delivery clears them', () => {
    assert.deepEqual(scoreAfter(0, 'hard'), { score: 5, stop: true })
    let score = 0
    for (let i = 0; i < 4; i++) score = scoreAfter(score, 'soft').score
    assert.equal(scoreAfter(score, 'delivered').score, 0)
    assert.deepEqual(scoreAfter(score, 'soft'), { score: 5, stop: true })
  })

  test('an SMTP refusal is hard for 5xx and soft for 4xx; other errors are no bounce', () => {
    assert.equal(bounceKindOf('SMTP 550: 5.1.1 unknown user'), 'hard')
    assert.equal(bounceKindOf('SMTP 451: try later'), 'soft')
    assert.equal(bounceKindOf('connect ECONNREFUSED'), null)
    assert.equal(bounceKindOf(null), null)
  })

  test('signed links verify for their purpose only, and not once changed', () => {
    const token = signLink('secret', 'unsubscribe', 'sub-1.funding')
    assert.equal(verifyLink('secret', 'unsubscribe', token), 'sub-1.funding')
    assert.equal(verifyLink('secret', 'manage', token), null)
    assert.equal(verifyLink('other', 'unsubscribe', token), null)
    const mac = token.split('.').at(-1) as string
    assert.equal(verifyLink('secret', 'unsubscribe', `sub-2.funding.${mac}`), null)
    assert.equal(verifyLink('secret', 'unsubscribe', `sub-1.funding.${mac.slice(0, -1)}A`), null)
    assert.ok(token.length < 100, 'short enough for the router')
    assert.equal(verifyLink('secret', 'unsubscribe', 'nonsense'), null)
  })
})

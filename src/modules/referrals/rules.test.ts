import assert from 'node:assert/strict'
import path from 'node:path'
import { describe, test } from 'node:test'
import { homeLibraryEligible, loadRules, lookupPostcode, normalisePostcode, teamFor } from './rules.ts'

const rules = loadRules(path.resolve(import.meta.dirname, '../../..'), ['rbkc', 'wcc'])

describe('rules as data', () => {
  test('postcodes are normalised, and anything that is not a postcode is refused', () => {
    assert.equal(normalisePostcode(' w84rt '), 'W8 4RT')
    assert.equal(normalisePostcode('sw1a 1aa'), 'SW1A 1AA')
    assert.equal(normalisePostcode('W8'), null)
    assert.equal(normalisePostcode('<script>'), null)
    assert.deepEqual(lookupPostcode(rules, 'not one'), { kind: 'invalid' })
  })

  test('a postcode wholly in one borough finds it; a boundary district asks; elsewhere is outside', () => {
    assert.deepEqual(lookupPostcode(rules, 'W8 4RT'), { kind: 'borough', borough: 'rbkc' })
    assert.deepEqual(lookupPostcode(rules, 'sw3 5ee'), { kind: 'borough', borough: 'rbkc' })
    assert.deepEqual(lookupPostcode(rules, 'W1D 3QF'), { kind: 'borough', borough: 'wcc' })
    assert.deepEqual(lookupPostcode(rules, 'SW1A 1AA'), { kind: 'borough', borough: 'wcc' })
    assert.deepEqual(lookupPostcode(rules, 'SW7 2AZ'), {
      kind: 'ask',
      boroughs: ['rbkc', 'wcc'],
      alsoOutside: false,
    })
    assert.deepEqual(lookupPostcode(rules, 'W10 5JJ'), { kind: 'ask', boroughs: ['rbkc'], alsoOutside: true })
    assert.deepEqual(lookupPostcode(rules, 'M1 1AE'), { kind: 'outside' })
    // W1 alone is not W1D: districts match exactly, not by prefix.
    assert.deepEqual(lookupPostcode(rules, 'W1 1AA'), { kind: 'outside' })
  })

  test('a sector entry wins over its district', () => {
    const withSector = {
      areas: [...rules.areas, { prefix: 'SW7 2', boroughs: ['rbkc'] }],
    }
    assert.deepEqual(lookupPostcode(withSector, 'SW7 2AZ'), { kind: 'borough', borough: 'rbkc' })
    assert.equal(lookupPostcode(withSector, 'SW7 5BD').kind, 'ask')
  })

  test('each need goes to a team of the right borough', () => {
    assert.equal(teamFor(rules, 'rbkc', 'home-library').code, 'rbkc-home-library')
    assert.equal(teamFor(rules, 'wcc', 'connectivity').code, 'wcc-devices')
    assert.throws(() => teamFor(rules, 'nowhere', 'device'))
  })

  test('the Home Library Service takes the housebound, carers and temporary mobility problems only', () => {
    for (const r of ['housebound', 'carer', 'temporary-mobility'])
      assert.equal(homeLibraryEligible(rules, r), true)
    assert.equal(homeLibraryEligible(rules, 'none'), false)
    assert.equal(homeLibraryEligible(rules, 'made-up'), false)
  })

  test('a rule file that names a borough the Hub does not know stops the start', () => {
    assert.throws(
      () => loadRules(path.resolve(import.meta.dirname, '../../..'), ['rbkc']),
      /unknown borough wcc/,
    )
  })
})

import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { emailKey, isMobile, matchReasons, nameKey, phoneKey } from './person.ts'

describe('matching keys', () => {
  test('names match whatever the case, spacing or Unicode form', () => {
    assert.equal(nameKey('  ANA   María '), nameKey('ana maría'))
    assert.equal(nameKey('Zoe\u0301'), nameKey('Zoé'))
    assert.equal(nameKey('محمد الأحمد'), 'محمد الأحمد')
  })

  test('phone numbers match in any UK format', () => {
    assert.equal(phoneKey('+44 (0)7700 900123'), '07700900123')
    assert.equal(phoneKey('0044 7700 900123'), '07700900123')
    assert.equal(phoneKey('07700-900-123'), '07700900123')
    assert.equal(phoneKey('12'), null)
    assert.equal(isMobile('07700 900123'), true)
    assert.equal(isMobile('020 7946 0000'), false)
    assert.equal(emailKey(' Zoe@Example.COM '), 'zoe@example.com')
  })

  test('a match is same name and date of birth, or same phone, or same email', () => {
    const a = {
      name_key: 'ana',
      date_of_birth: '1950-01-01',
      phone_key: '07700900123',
      email_key: 'a@example.com',
    }
    assert.deepEqual(matchReasons(a, { ...a }), ['name-and-date-of-birth', 'phone', 'email'])
    assert.deepEqual(
      matchReasons(a, { ...a, date_of_birth: '1950-01-02', phone_key: null, email_key: null }),
      [],
    )
    assert.deepEqual(
      matchReasons(a, { name_key: 'bo', date_of_birth: null, phone_key: '07700900123', email_key: null }),
      ['phone'],
    )
    // Same name with no date of birth is not enough.
    const noDob = { ...a, date_of_birth: null, phone_key: null, email_key: null }
    assert.deepEqual(matchReasons(noDob, { ...noDob }), [])
  })
})

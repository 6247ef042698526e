import assert from 'node:assert/strict'
import { test } from 'node:test'
import { when } from './session.labels.ts'
import { contactKey, offerDeadline } from './session.ts'

test('an offer runs 24 hours when that ends in the day', () => {
  assert.equal(offerDeadline(new Date('2027-01-12T10:00:00Z'), 24), '2027-01-13T10:00:00.000Z')
})

test('an offer ending at night runs on to 09:00 London the next morning', () => {
  assert.equal(offerDeadline(new Date('2027-01-12T22:30:00Z'), 24), '2027-01-14T09:00:00.000Z')
  // 02:00 London in summer is 01:00 UTC; the offer runs to 09:00 London, 08:00 UTC, that morning.
  assert.equal(offerDeadline(new Date('2027-07-12T01:00:00Z'), 24), '2027-07-13T08:00:00.000Z')
})

test('a contact detail matches however it is typed', () => {
  assert.equal(contactKey(' Sam@Example.org '), 'sam@example.org')
  assert.equal(contactKey('+44 7700 900123'), contactKey('07700900123'))
  assert.equal(contactKey(''), null)
})

test('dates and times read as GOV.UK writes them, in London time', () => {
  assert.equal(
    when('2027-01-05T10:00:00.000Z', '2027-01-05T12:30:00.000Z'),
    'Tuesday 5 January 2027, 10am to 12:30pm',
  )
  assert.equal(
    when('2027-07-06T11:00:00.000Z', '2027-07-06T12:00:00.000Z'),
    'Tuesday 6 July 2027, 12pm to 1pm',
  )
})

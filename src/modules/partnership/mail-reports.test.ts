import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { messagesIn, reportsIn } from './mail-reports.ts'

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')

test('a Postfix bounce (5.1.1, user unknown) is a hard bounce of the final recipient', () => {
  assert.deepEqual(reportsIn(fixture('dsn-hard.eml')), [
    {
      email: 'left.the.job@partner.test',
      type: 'bounce',
      bounceType: 'hard',
      at: '2027-01-15T09:12:05.000Z',
    },
  ])
})

test('an mbox: a mailbox full for days (failed, 4.2.2) is soft; a delay is no bounce; an ARF without Original-Rcpt-To names the original message’s To', () => {
  const messages = messagesIn(fixture('dsn-soft-and-delayed.mbox'))
  assert.equal(messages.length, 3)
  assert.match(messages[1] ?? '', /^From the mail system/m, 'a >From line gets its > back off')
  assert.deepEqual(messages.flatMap(reportsIn), [
    {
      email: 'full.mailbox@charity.test',
      type: 'bounce',
      bounceType: 'soft',
      at: '2027-01-16T05:59:58.000Z',
    },
    { email: 'not.interested@mailbox.test', type: 'complaint', at: '2027-01-17T09:58:02.000Z' },
  ])
})

test('an ARF complaint (RFC 5965) names its Original-Rcpt-To', () => {
  assert.deepEqual(reportsIn(fixture('arf-complaint.eml')), [
    { email: 'complainer@provider.test', type: 'complaint', at: '2027-03-08T18:00:00.000Z' },
  ])
})

test('an ordinary message, or a report of another kind, reports nothing', () => {
  assert.deepEqual(reportsIn('From: a@b.test\nTo: c@d.test\nSubject: Hello\n\nHi'), [])
  const other = fixture('dsn-hard.eml').replace(
    'report-type=delivery-status',
    'report-type=disposition-notification',
  )
  assert.deepEqual(reportsIn(other), [])
  assert.deepEqual(messagesIn('Subject: x\n\nbody'), ['Subject: x\n\nbody'])
})

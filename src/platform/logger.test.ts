import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import pino from 'pino'
import { redactedLogger, safePath } from './logger.ts'

/** A log destination that keeps every line, as the production log would receive it. */
function capture() {
  const lines: string[] = []
  return { lines, stream: { write: (line: string) => lines.push(line) }, text: () => lines.join('') }
}

describe('safePath', () => {
  test('drops the query string, where personal data must never be but sometimes is', () => {
    assert.equal(safePath('/track?reference=ABCD-EFGH&email=a@b.c'), '/track')
    assert.equal(safePath('/find-help'), '/find-help')
    assert.equal(safePath('/'), '/')
  })

  test('cuts the secret tail off one-time links', () => {
    assert.equal(safePath('/staff/invite/Zm9vYmFyYmF6'), '/staff/invite/[token]')
    assert.equal(safePath('/unsubscribe/Zm9v.YmFy/one-click'), '/unsubscribe/[token]')
    assert.equal(safePath('/subscriptions/Zm9v.YmFy'), '/subscriptions/[token]')
    assert.equal(safePath('/subscribe/confirm/Zm9vYmFy'), '/subscribe/confirm/[token]')
    assert.equal(safePath('/staff/setup/Zm9vYmFyYmF6/confirm?x=1'), '/staff/setup/[token]')
    assert.equal(
      safePath('/staff/users/0190f3a2-0000-7000-8000-000000000000'),
      '/staff/users/0190f3a2-0000-7000-8000-000000000000',
    )
  })
})

describe('pino with redactedLogger options', () => {
  function logged(write: (log: pino.Logger) => void): string {
    const out = capture()
    write(pino(redactedLogger('info') as pino.LoggerOptions, out.stream))
    return out.text()
  }

  test('personal fields are redacted at the top of the line and one level down', () => {
    const text = logged((log) => {
      log.info(
        { password: 'pw-top-1', email: 'top@example.org', token: 'tok-top-1', phone: '07700900001' },
        'top',
      )
      log.info(
        { body: { password: 'pw-nested-2', email: 'nested@example.org', recipient: 'r@example.org' } },
        'nested',
      )
      log.info({ user: { name: 'Ada Lovelace' }, outboxId: 'keep-me' }, 'name')
    })
    for (const secret of [
      'pw-top-1',
      'top@example.org',
      'tok-top-1',
      '07700900001',
      'pw-nested-2',
      'nested@example.org',
      'r@example.org',
      'Ada Lovelace',
    ])
      assert.ok(!text.includes(secret), `${secret} in ${text}`)
    assert.match(text, /keep-me/)
    assert.equal(text.match(/\[redacted\]/g)?.length, 8)
  })

  test("a database error's detail, which quotes the clashing value, is redacted", () => {
    const err = Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), {
      code: '23505',
      detail: 'Key (email)=(clash@example.org) already exists.',
    })
    const text = logged((log) => log.error({ err }, 'request failed'))
    assert.ok(!text.includes('clash@example.org'), text)
    assert.match(text, /23505/)
  })
})

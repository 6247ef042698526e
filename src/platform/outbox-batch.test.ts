import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import { type SmtpSink, startSmtpSink } from '#tests/support/smtp-sink.ts'
import type { Database } from './database.ts'
import { OutboxWorker, smtpTransport } from './notify.ts'
import { type NewMessage, Outbox } from './outbox.ts'
import { registerTestTemplates } from './testing.ts'

registerTestTemplates()

const FROM = 'Hub <no-reply@hub.test>'
const quiet = { error() {}, warn() {} }

function notice(n: number): NewMessage {
  return {
    channel: 'email',
    template: 'test-notice',
    recipient: `reader${n}@example.org`,
    personalisation: { name: `Reader ${n}`, serviceName: 'Digital Inclusion Hub' },
  }
}

/** A batch claimed, sent side by side over pooled SMTP connections, its outcomes recorded together. */
for (const dialect of DIALECTS) {
  describe(`the outbox worker sending a batch at once on ${dialect}`, () => {
    let database: Database
    let sink: SmtpSink
    const workers: OutboxWorker[] = []

    const rows = () => database.db.selectFrom('outbox').selectAll().orderBy('recipient').execute()

    /** A worker over pooled SMTP with the sink; closed after the test. */
    function worker(outbox: Outbox, perSecond: number, options: { batch: number; concurrency: number }) {
      const w = new OutboxWorker(
        outbox,
        smtpTransport(sink.url, FROM, options.concurrency),
        1000,
        quiet,
        perSecond,
        options,
      )
      workers.push(w)
      return w
    }

    before(async () => {
      database = await freshDatabase(dialect)
      sink = await startSmtpSink()
    })
    after(async () => {
      await sink.stop()
      await database.close()
    })
    beforeEach(async () => {
      for (const w of workers.splice(0)) await w.stop()
      await database.db.deleteFrom('outbox').execute()
      sink.messages.length = 0
      sink.refuse.clear()
      sink.dataDelayMs = 0
      sink.mostAtOnce = 0
    })

    test('a batch goes out over several SMTP connections at once, each message once', async () => {
      const outbox = new Outbox(database, 8)
      const ids = await outbox.enqueueMany(
        database.db,
        Array.from({ length: 10 }, (_, n) => notice(n)),
      )
      // The server takes a tenth of a second over each message, so messages sent side by side overlap
      // there (sent one after another, never more than one would be in the middle of its transaction).
      sink.dataDelayMs = 100
      assert.equal(await worker(outbox, 1e6, { batch: 10, concurrency: 5 }).runOnce(), 10)

      assert.ok(sink.mostAtOnce >= 3 && sink.mostAtOnce <= 5, `${sink.mostAtOnce} messages at once`)
      for (const id of ids) assert.equal(sink.withMessageId(`${id}@hub`).length, 1)
      assert.ok((await rows()).every((r) => r.status === 'sent' && r.claimed_until === null))
    })

    test('a recipient refused in a batch fails alone, with the server reply kept for bounce scoring', async () => {
      const outbox = new Outbox(database, 8)
      await outbox.enqueueMany(
        database.db,
        Array.from({ length: 8 }, (_, n) => notice(n)),
      )
      sink.refuse.set('reader2@example.org', { code: 550, text: '5.1.1 No such mailbox' })
      sink.refuse.set('reader5@example.org', { code: 451, text: '4.2.2 Mailbox full, try later' })

      assert.equal(await worker(outbox, 1e6, { batch: 8, concurrency: 4 }).runOnce(), 6)

      const byRecipient = new Map((await rows()).map((r) => [r.recipient, r]))
      const hard = byRecipient.get('reader2@example.org')
      const soft = byRecipient.get('reader5@example.org')
      assert.deepEqual([hard?.status, hard?.attempts], ['pending', 1])
      assert.match(hard?.last_error ?? '', /^SMTP 550: .*No such mailbox/)
      assert.deepEqual([soft?.status, soft?.attempts], ['pending', 1])
      assert.match(soft?.last_error ?? '', /^SMTP 451: .*Mailbox full/)
      const sent = [...byRecipient.values()].filter((r) => r.status === 'sent')
      assert.equal(sent.length, 6)
      assert.ok(sent.every((r) => r.last_error === null && r.attempts === 0))
      assert.deepEqual(sink.messages.map((m) => m.to[0]).sort(), [
        'reader0@example.org',
        'reader1@example.org',
        'reader3@example.org',
        'reader4@example.org',
        'reader6@example.org',
        'reader7@example.org',
      ])
    })

    test('sent side by side and batch after batch, the messages keep to the rate', async () => {
      const outbox = new Outbox(database, 8)
      await outbox.enqueueMany(
        database.db,
        Array.from({ length: 30 }, (_, n) => notice(n)),
      )
      const w = worker(outbox, 20, { batch: 10, concurrency: 5 })
      let sent = 0
      for (let round = 0; round < 3; round++) sent += await w.runOnce()
      assert.equal(sent, 30)

      // Twenty a second: a twenty-first message comes a second after the first of the twenty (less a margin
      // for a busy machine; without the pace all thirty would go within a few milliseconds).
      const at = sink.messages.map((m) => m.at).sort((a, b) => a - b)
      for (let i = 0; i + 20 < at.length; i++) {
        const gap = (at[i + 20] as number) - (at[i] as number)
        assert.ok(gap >= 750, `messages ${i} and ${i + 20} were ${gap} ms apart`)
      }
      assert.equal(new Set(sink.messages.map((m) => m.headers.get('message-id'))).size, 30)
    })
  })
}

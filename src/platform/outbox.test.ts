import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import { type SmtpSink, startSmtpSink } from '#tests/support/smtp-sink.ts'
import { type Database, openDatabase } from './database.ts'
import { renderMessage } from './messages.ts'
import { OutboxWorker, smtpTransport, type Transport } from './notify.ts'
import { backoffSeconds, type NewMessage, Outbox } from './outbox.ts'
import { registerTestTemplates } from './testing.ts'

registerTestTemplates()

const FROM = 'Hub <no-reply@hub.test>'
const START = Date.parse('2026-03-02T09:00:00.000Z')

function invite(n: number): NewMessage {
  return {
    channel: 'email',
    template: 'test-invite',
    recipient: `person${n}@example.org`,
    personalisation: {
      name: `Person ${n}`,
      serviceName: 'Digital Inclusion Hub',
      link: `https://hub.test/i/${n}`,
    },
  }
}

/** Polls until `done()` is true, failing after a couple of seconds. */
async function waitFor(done: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > end) assert.fail('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Worker log lines, kept so a test can check what an administrator would read. */
function captureLog() {
  const lines: { level: string; fields: object; msg: string }[] = []
  return {
    lines,
    error: (fields: object, msg: string) => lines.push({ level: 'error', fields, msg }),
    warn: (fields: object, msg: string) => lines.push({ level: 'warn', fields, msg }),
  }
}

describe('backoffSeconds', () => {
  const middle = () => 0.5

  test('doubles from 15 seconds with each attempt', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffSeconds(n, middle)),
      [15, 30, 60, 120, 240, 480, 960, 1920],
    )
  })

  test('stops growing at an hour', () => {
    assert.equal(backoffSeconds(9, middle), 3600)
    assert.equal(backoffSeconds(30, middle), 3600)
    assert.equal(backoffSeconds(1000, middle), 3600)
  })

  test('jitter stays within 20% either side, so retries spread out without running away', () => {
    assert.equal(
      backoffSeconds(3, () => 0),
      48,
    )
    assert.equal(
      backoffSeconds(3, () => 0.999999),
      72,
    )
    assert.equal(
      backoffSeconds(1000, () => 0.999999),
      4320,
    )
    for (let attempt = 1; attempt < 20; attempt++) {
      const base = Math.min(3600, 15 * 2 ** (attempt - 1))
      const s = backoffSeconds(attempt)
      assert.ok(s >= Math.floor(base * 0.8) && s <= Math.ceil(base * 1.2), `${attempt}: ${s}`)
    }
  })
})

for (const dialect of DIALECTS) {
  describe(`outbox on ${dialect}`, () => {
    let database: Database
    let sink: SmtpSink
    let now = START
    const clock = () => now

    const rows = () => database.db.selectFrom('outbox').selectAll().orderBy('recipient').execute()

    before(async () => {
      database = await freshDatabase(dialect)
      sink = await startSmtpSink()
    })
    after(async () => {
      await sink.stop()
      await database.close()
    })
    beforeEach(async () => {
      await database.db.deleteFrom('outbox').execute()
      sink.messages.length = 0
      await sink.start()
      now = START
    })

    test('a message enqueued in a transaction that rolls back does not exist', async () => {
      const outbox = new Outbox(database, 8, clock)
      await assert.rejects(
        database.db.transaction().execute(async (tx) => {
          await outbox.enqueue(tx, invite(1))
          throw new Error('the change failed')
        }),
        /the change failed/,
      )
      assert.deepEqual(await rows(), [])

      await database.db.transaction().execute((tx) => outbox.enqueue(tx, invite(2)))
      assert.deepEqual(
        (await rows()).map((r) => [r.recipient, r.status, r.attempts]),
        [['person2@example.org', 'pending', 0]],
      )
    })

    test('the worker sends over SMTP with the rendered template and the outbox id as Message-ID', async () => {
      const outbox = new Outbox(database, 8, clock)
      const id = await outbox.enqueue(database.db, invite(1))
      const worker = new OutboxWorker(outbox, smtpTransport(sink.url, FROM), 1000, captureLog())

      assert.equal(await worker.runOnce(), 1)

      const expected = renderMessage('test-invite', invite(1).personalisation)
      assert.equal(sink.messages.length, 1)
      const mail = sink.messages[0]
      assert.deepEqual(mail?.to, ['person1@example.org'])
      assert.equal(mail?.from, 'no-reply@hub.test')
      assert.equal(mail?.headers.get('subject'), expected.subject)
      assert.equal(mail?.headers.get('message-id'), `<${id}@hub>`)
      assert.equal(mail?.text, expected.body)
      const [row] = await rows()
      assert.equal(row?.status, 'sent')
      assert.equal(row?.sent_at, new Date(START).toISOString())
      assert.equal(await worker.runOnce(), 0)
      assert.equal(sink.messages.length, 1)
    })

    test('with the mail server down messages wait with backoff, then each is sent exactly once', async () => {
      const outbox = new Outbox(database, 8, clock)
      const log = captureLog()
      const worker = new OutboxWorker(outbox, smtpTransport(sink.url, FROM), 1000, log)
      const ids: string[] = []
      for (let n = 0; n < 6; n++) ids.push(await outbox.enqueue(database.db, invite(n)))

      await sink.stop()
      assert.equal(await worker.runOnce(20), 0)
      for (const row of await rows()) {
        assert.equal(row.status, 'pending')
        assert.equal(row.attempts, 1)
        assert.match(row.last_error ?? '', /ECONNREFUSED/)
        const wait = (Date.parse(row.next_attempt_at) - now) / 1000
        assert.ok(wait >= 12 && wait <= 18, `first retry after ${wait}s`)
        assert.equal(row.claimed_until, null)
      }
      assert.equal(log.lines.length, 6)
      assert.ok(log.lines.every((l) => l.level === 'warn' && !JSON.stringify(l).includes('@example.org')))

      // Not due yet: the worker leaves them alone.
      now += 5_000
      assert.equal(await worker.runOnce(20), 0)
      assert.ok((await rows()).every((r) => r.attempts === 1))

      // Still down at the second try; more messages arrive meanwhile.
      now += 20_000
      for (let n = 6; n < 9; n++) ids.push(await outbox.enqueue(database.db, invite(n)))
      assert.equal(await worker.runOnce(20), 0)
      const attempts = (await rows()).map((r) => r.attempts).sort()
      assert.deepEqual(attempts, [...Array(3).fill(1), ...Array(6).fill(2)])
      const secondWaits = (await rows())
        .filter((r) => r.attempts === 2)
        .map((r) => (Date.parse(r.next_attempt_at) - now) / 1000)
      assert.ok(
        secondWaits.every((w) => w >= 24 && w <= 36),
        `second retry waits ${secondWaits.join(', ')}`,
      )

      await sink.start()
      now += 60_000
      let sent = 0
      for (let round = 0; round < 5; round++) sent += await worker.runOnce(4)
      assert.equal(sent, 9)
      assert.equal(await worker.runOnce(20), 0)

      assert.equal(sink.messages.length, 9)
      for (const id of ids) assert.equal(sink.withMessageId(`${id}@hub`).length, 1, `message ${id}`)
      assert.ok((await rows()).every((r) => r.status === 'sent' && r.last_error === null))
    })

    test('after OUTBOX_MAX_ATTEMPTS failures a message is parked, and retry sends it round again', async () => {
      const outbox = new Outbox(database, 3, clock)
      const log = captureLog()
      const worker = new OutboxWorker(outbox, smtpTransport(sink.url, FROM), 1000, log)
      const id = await outbox.enqueue(database.db, invite(1))
      await sink.stop()

      for (let attempt = 1; attempt <= 3; attempt++) {
        assert.equal(await worker.runOnce(), 0)
        const [row] = await rows()
        assert.equal(row?.attempts, attempt)
        assert.equal(row?.status, attempt < 3 ? 'pending' : 'parked')
        now += 2 * 3600_000
      }
      assert.deepEqual(
        log.lines.map((l) => l.level),
        ['warn', 'warn', 'error'],
      )
      assert.deepEqual(log.lines[2]?.fields, { outboxId: id, attempts: 3, status: 'parked' })

      // Parked means no more tries, however long we wait, even with the server back.
      await sink.start()
      now += 24 * 3600_000
      assert.equal(await worker.runOnce(), 0)
      assert.equal((await outbox.list({ status: 'parked', scope: null, limit: 10, offset: 0 })).total, 1)

      assert.equal(await outbox.retry(id, null), true)
      assert.equal(await outbox.retry(id, null), false, 'only a parked message can be retried')
      const [row] = await rows()
      assert.deepEqual([row?.status, row?.attempts], ['pending', 0])
      assert.equal(await worker.runOnce(), 1)
      assert.equal(sink.withMessageId(`${id}@hub`).length, 1)
      assert.equal(await outbox.retry(id, null), false, 'a sent message cannot be sent again')
    })

    test('a claim held by a worker that died is taken over after thirty seconds, not before', async () => {
      const outbox = new Outbox(database, 8, clock)
      const id = await outbox.enqueue(database.db, invite(1))
      const [claimed] = await outbox.claim(10)
      assert.equal(claimed?.id, id)
      assert.equal(claimed?.status, 'sending')
      assert.deepEqual(await outbox.claim(10), [])
      now += 20_000
      await outbox.renew([id])
      now += 20_000
      assert.deepEqual(await outbox.claim(10), [], 'a renewed claim still holds')
      now += 11_000
      assert.deepEqual(
        (await outbox.claim(10)).map((m) => m.id),
        [id],
      )
    })

    test('a worker keeps its claim while a slow provider takes longer than the claim period', async () => {
      // Real time here: a claim of 300 ms, renewed every 100 ms while one send takes a second.
      const outbox = new Outbox(database, 8, Date.now, 300)
      const other = new Outbox(database, 8, Date.now, 300)
      const slowly: Transport = {
        name: 'slow',
        async send() {
          await new Promise((resolve) => setTimeout(resolve, 1000))
        },
      }
      const id = await outbox.enqueue(database.db, invite(1))
      const sending = new OutboxWorker(outbox, slowly, 1000, captureLog()).runOnce()
      await new Promise((resolve) => setTimeout(resolve, 700))
      assert.deepEqual(await other.claim(10), [], 'nobody else takes a message being sent')
      assert.equal(await sending, 1)
      const [row] = await rows()
      assert.deepEqual([row?.id, row?.status], [id, 'sent'])
    })

    test('started, the worker sends on its own; stopped, it sends no more', async () => {
      const outbox = new Outbox(database, 8, clock)
      const worker = new OutboxWorker(outbox, smtpTransport(sink.url, FROM), 20, captureLog())
      worker.start()
      try {
        const id = await outbox.enqueue(database.db, invite(1))
        await waitFor(() => sink.withMessageId(`${id}@hub`).length === 1)
      } finally {
        await worker.stop()
      }
      const later = await outbox.enqueue(database.db, invite(2))
      await new Promise((resolve) => setTimeout(resolve, 200))
      assert.equal(sink.messages.length, 1)
      const row = await database.db
        .selectFrom('outbox')
        .select('status')
        .where('id', '=', later)
        .executeTakeFirst()
      assert.equal(row?.status, 'pending')
    })

    test('the worker sends no faster than its rate, and sends every message once', async () => {
      const outbox = new Outbox(database, 8, clock)
      const ids: string[] = []
      for (let i = 0; i < 60; i++) ids.push(await outbox.enqueue(database.db, invite(100 + i)))
      const sent: { id: string; at: number }[] = []
      const instant: Transport = {
        name: 'instant',
        send: async (m) => void sent.push({ id: m.id, at: Date.now() }),
      }
      const worker = new OutboxWorker(outbox, instant, 1000, captureLog(), 40)
      worker.start()
      try {
        await waitFor(() => sent.length === 60, 5000)
      } finally {
        await worker.stop()
      }
      assert.deepEqual(sent.map((m) => m.id).sort(), [...ids].sort())
      // Batches of 20 at 40 a second: the third batch cannot start before a second has gone.
      const third = sent[40] as { at: number }
      const first = sent[0] as { at: number }
      assert.ok(third.at - first.at >= 950, `the third batch began after ${third.at - first.at} ms`)
    })

    test('the SMTP transport refuses SMS rather than mailing a phone number', async () => {
      const outbox = new Outbox(database, 1, clock)
      const worker = new OutboxWorker(outbox, smtpTransport(sink.url, FROM), 1000, captureLog())
      await outbox.enqueue(database.db, { ...invite(1), channel: 'sms', recipient: '07700900123' })
      assert.equal(await worker.runOnce(), 0)
      const [row] = await rows()
      assert.equal(row?.status, 'parked')
      assert.match(row?.last_error ?? '', /email only/)
      assert.equal(sink.messages.length, 0)
    })
  })
}

describe('several workers on postgres', () => {
  const COUNT = 200
  let database: Database & { url: string }
  const pools: Database[] = []

  before(async () => {
    database = await freshDatabase('postgres')
  })
  after(async () => {
    for (const p of pools) await p.close()
    await database.close()
  })

  test(`${COUNT} messages through 3 workers on their own pools: each delivered exactly once`, async () => {
    const outbox = new Outbox(database, 8)
    const ids = new Set<string>()
    await database.db.transaction().execute(async (tx) => {
      for (let n = 0; n < COUNT; n++) ids.add(await outbox.enqueue(tx, invite(n)))
    })

    // Records deliveries and yields, so other claims run while a send is "on the wire".
    // (The SMTP sink would prove no more here, and its 100 ms greeting delay would make this slow.)
    const deliveries = new Map<string, number>()
    const transport: Transport = {
      name: 'recording',
      async send(message) {
        await new Promise((resolve) => setImmediate(resolve))
        deliveries.set(message.id, (deliveries.get(message.id) ?? 0) + 1)
      },
    }
    const sentBy = [0, 0, 0]
    await Promise.all(
      sentBy.map(async (_, w) => {
        // Each worker as if in its own process: its own pool of connections.
        const own = openDatabase(database.url)
        pools.push(own)
        const worker = new OutboxWorker(new Outbox(own, 8), transport, 1000, captureLog())
        // Two loops per worker, so claims also race inside one process.
        await Promise.all(
          [0, 1].map(async () => {
            for (let sent = await worker.runOnce(5); sent > 0; sent = await worker.runOnce(5))
              sentBy[w] = (sentBy[w] ?? 0) + sent
          }),
        )
      }),
    )

    assert.equal(
      sentBy.reduce((a, b) => a + b, 0),
      COUNT,
    )
    assert.ok(sentBy.filter((n) => n > 0).length >= 2, `work shared: ${sentBy.join(', ')}`)
    const twice = [...deliveries].filter(([, n]) => n !== 1)
    assert.deepEqual(twice, [], 'no message sent twice')
    assert.deepEqual(new Set(deliveries.keys()), ids, 'none lost')
    const left = await database.db.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute()
    assert.deepEqual(left, [])
  })
})

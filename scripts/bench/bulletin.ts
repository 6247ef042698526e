/**
 * A bulletin to BENCH_BULLETIN_SUBSCRIBERS (20,000) subscribers: the send (a row per recipient and its
 * outbox message, in one transaction), then the Hub's outbox worker sending them all over SMTP to an
 * in-process sink (tests/support/smtp-sink.ts) with the rate limit set high, a batch at a time over pooled
 * connections. Measures the time from the send to the last message the sink accepted. Its own fresh
 * SQLite database, in this process.
 */
import path from 'node:path'
import { MODULES, servicesOf } from '#modules/index.ts'
import type { StaffUser } from '#platform/access.ts'
import { composeHub } from '#platform/compose.ts'
import { loadConfig } from '#platform/config.ts'
import { openDatabase } from '#platform/database.ts'
import { newId } from '#platform/ids.ts'
import { migrateToLatest } from '#platform/migrate.ts'
import { OutboxWorker, smtpTransport } from '#platform/notify.ts'
import { startSmtpSink } from '#tests/support/smtp-sink.ts'
import { buildApp } from '../../src/app.ts'

const CTX = { userId: null, actor: 'cli', ip: null, requestId: null }
const LEAD: StaffUser = {
  id: newId(),
  name: 'Bench lead',
  email: 'lead@hub.test',
  roles: [],
  permissions: new Set(['partnership.mailing']),
  boroughs: 'all',
}

export interface BulletinFigures {
  subscribers: number
  /** The send use case: recipients and outbox messages written. */
  sendMs: number
  /** From the send to the last message accepted by the SMTP server. */
  lastAcceptedMs: number
  accepted: number
}

export async function bulletinBench(opts: {
  root: string
  dir: string
  subscribers: number
}): Promise<BulletinFigures> {
  const { migrations, settings } = composeHub(MODULES)
  const config = loadConfig(
    {
      APP_ROOT: opts.root,
      DATABASE_URL: path.join(opts.dir, 'bulletin.sqlite'),
      WORKER: 'off',
      LOG_LEVEL: 'silent',
      OUTBOX_BATCH: process.env.OUTBOX_BATCH,
      OUTBOX_CONCURRENCY: process.env.OUTBOX_CONCURRENCY,
    },
    settings,
  )
  const database = openDatabase(config.DATABASE_URL)
  const sink = await startSmtpSink()
  try {
    await migrateToLatest(database, migrations)
    const hub = await buildApp({ config, database, logger: false })
    await hub.loadReferenceData()
    const { partnership } = servicesOf(hub)
    const list = (await partnership.mailing.lists()).find((l) => l.code === 'partners-news')
    if (!list) throw new Error('no partners-news list')
    const now = new Date().toISOString()
    await database.db.transaction().execute(async (tx) => {
      for (let i = 0; i < opts.subscribers; i += 500) {
        const ids = Array.from({ length: Math.min(500, opts.subscribers - i) }, () => newId())
        await tx
          .insertInto('mailing_subscribers')
          .values(
            ids.map((id, n) => ({
              id,
              email: `reader${i + n}@example.org`,
              bounce_score: 0,
              stopped_reason: null,
              stopped_at: null,
              created_at: now,
            })),
          )
          .execute()
        await tx
          .insertInto('mailing_subscriptions')
          .values(
            ids.map((id) => ({
              id: newId(),
              subscriber_id: id,
              list_id: list.id,
              signup_id: null,
              status: 'subscribed',
              subscribed_at: now,
              unsubscribed_at: null,
              unsubscribed_how: null,
            })),
          )
          .execute()
      }
    })
    const id = await partnership.bulletins.create(LEAD, CTX, {
      title: 'Partnership news',
      list: 'partners-news',
      body: '## News\nA paragraph of news with a link: https://example.org/news\n\n- One\n- Two',
    })
    const quiet = { error() {}, warn() {} }
    // The shipped batch and pooled connections (OUTBOX_BATCH, OUTBOX_CONCURRENCY, if set, say otherwise);
    // the rate limit out of the way.
    const worker = new OutboxWorker(
      hub.platform.outbox,
      smtpTransport(sink.url, 'news@hub.test', config.OUTBOX_CONCURRENCY),
      10,
      quiet,
      1e6,
      { batch: config.OUTBOX_BATCH, concurrency: config.OUTBOX_CONCURRENCY },
    )
    const started = performance.now()
    const count = await partnership.bulletins.send(LEAD, CTX, id)
    const sendMs = performance.now() - started
    worker.start()
    const deadline = Date.now() + 600_000
    while (sink.messages.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    const lastAcceptedMs = performance.now() - started
    await worker.stop()
    await hub.app.close()
    return { subscribers: count, sendMs, lastAcceptedMs, accepted: sink.messages.length }
  } finally {
    await sink.stop()
    await database.close()
  }
}

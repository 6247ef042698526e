import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import {
  checkWhole,
  killLeftovers,
  PostgresServer,
  preparedDatabase,
  request,
  Submitters,
  sleep,
  startHub,
  within,
} from '#tests/support/faults.ts'
import { APP_ROOT } from '#tests/support/hub.ts'

/**
 * The database goes away under load and comes back; the Hub stays up, says 503 quickly, serves again by
 * itself, and loses or half-writes nothing. Figures are printed for docs/operations.md.
 */
after(killLeftovers)

const report = (line: string) => console.log(`# measured: ${line}`)

/** A page answered with the Hub's own 503 page, quickly. */
async function assertUnavailablePage(port: number, page: string) {
  const res = await request(port, { path: page, timeoutMs: 5000 })
  assert.equal(res.status, 503, `${page} answered ${res.status}`)
  assert.equal(res.headers['retry-after'], '10')
  assert.match(res.body, /Sorry, the service is unavailable/)
  assert.ok(res.ms < 2000, `${page} took ${res.ms} ms`)
  return res
}

describe('PostgreSQL stopped, frozen and started again under load', () => {
  let server: PostgresServer
  after(() => server?.destroy())

  test('the Hub stays up, answers 503 within 2 s, and serves again within 5 s', async () => {
    server = await PostgresServer.create()
    const { apiKey } = await preparedDatabase(server.url)
    const hub = await startHub({
      DATABASE_URL: server.url,
      DATABASE_STATEMENT_TIMEOUT_MS: '4000',
      DATABASE_CONNECT_TIMEOUT_MS: '1500',
    })
    const load = new Submitters(() => hub.port, apiKey, 10)
    await within(20_000, 'referrals go in before the fault', async () => load.acknowledged.length > 0)

    // Stopped, as by a crash: connections in use and idle all break.
    server.stop()
    const readyDown = await within(2000, '/readyz says 503', async () => {
      return (await request(hub.port, { path: '/readyz', timeoutMs: 2000 })).status === 503
    })
    const page = await assertUnavailablePage(hub.port, '/find-help')
    const journey = await assertUnavailablePage(hub.port, '/refer/postcode')
    assert.match(journey.body, /We have kept the answers you gave before this page/)
    assert.match(journey.body, /href="\/refer\/postcode"/)
    await sleep(1000)
    assert.equal(hub.child.exitCode, null, 'the process is still up')
    report(`PostgreSQL stopped: /readyz 503 after ${readyDown} ms; a page's 503 in ${page.ms} ms`)

    await server.start()
    const back = await within(5000, 'a referral is accepted again', async () => {
      const res = await request(hub.port, { path: '/readyz', timeoutMs: 2000 })
      return res.status === 200
    })
    const acceptedBefore = load.acknowledged.length
    await within(5000, 'referrals go in again', async () => load.acknowledged.length > acceptedBefore)
    report(`PostgreSQL started again: serving after ${back} ms`)

    // Frozen: every server process stopped, its connections open but silent.
    server.freeze()
    const frozenAt = Date.now()
    const readyFrozen = await within(2500, '/readyz says 503 while frozen', async () => {
      return (await request(hub.port, { path: '/readyz', timeoutMs: 2500 })).status === 503
    })
    const frozenPage = await assertUnavailablePage(hub.port, '/find-help')
    report(`PostgreSQL frozen: /readyz 503 after ${readyFrozen} ms; a page's 503 in ${frozenPage.ms} ms`)
    await sleep(Math.max(0, 3000 - (Date.now() - frozenAt)))
    server.thaw()
    const thawed = await within(5000, 'serving again after the freeze', async () => {
      return (await request(hub.port, { path: '/readyz', timeoutMs: 2000 })).status === 200
    })
    const acceptedThawed = load.acknowledged.length
    await within(
      5000,
      'referrals go in after the freeze',
      async () => load.acknowledged.length > acceptedThawed,
    )
    report(`PostgreSQL thawed after 3 s: serving after ${thawed} ms`)

    await load.stop()
    assert.equal(hub.child.exitCode, null, 'the process is still up')
    // Every request had an answer (201 or 503), none hung or was cut off, none was a 500.
    const others = [...load.statuses.keys()].filter((s) => s !== '201' && s !== '503')
    assert.deepEqual(others, [], `outcomes: ${load.summary()}`)
    report(`load outcomes: ${load.summary()}; slowest answer ${Math.max(...load.slowest)} ms`)
    hub.child.kill('SIGTERM')
    assert.equal(await hub.exited, 0)
    await checkWhole(server.url, load.acknowledged)
  })

  test('down at start: the Hub waits for it, saying where; or gives up naming the settings', async () => {
    server.stop()
    const waiting = await startHub({ DATABASE_URL: server.url }, { waitReady: false })
    await within(30_000, 'says it is waiting', async () =>
      /Waiting for the database, PostgreSQL at 127\.0\.0\.1:\d+\/postgres \(.*ECONNREFUSED/.test(
        waiting.output(),
      ),
    )
    await server.start()
    await within(
      15_000,
      'ready once the database is',
      async () => (await request(waiting.port, { path: '/readyz' })).status === 200,
    )
    waiting.child.kill('SIGTERM')
    assert.equal(await waiting.exited, 0)

    server.stop()
    const gives = await startHub(
      { DATABASE_URL: server.url, DATABASE_START_WAIT_SECONDS: '1' },
      { waitReady: false },
    )
    assert.equal(await gives.exited, 1)
    assert.match(gives.output(), /The database did not answer within 1 seconds \(PostgreSQL at 127\.0\.0\.1/)
    assert.match(gives.output(), /Check DATABASE_URL .*DATABASE_START_WAIT_SECONDS/)
  })
})

describe('SQLite locked by another process under load', () => {
  test('writes answer 503 after the busy timeout, reads go on, and writes resume when it is released', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-faults-sqlite-'))
    const file = path.join(dir, 'hub.sqlite')
    const { apiKey } = await preparedDatabase(file)
    const hub = await startHub({ DATABASE_URL: file, DATABASE_BUSY_TIMEOUT_MS: '1000' })
    const load = new Submitters(() => hub.port, apiKey, 10)
    await within(20_000, 'referrals go in before the fault', async () => load.acknowledged.length > 0)

    // Another process takes the write lock and keeps it until told to let go.
    const locker = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(${JSON.stringify(file)}); db.exec('begin immediate');
         console.log('locked'); process.stdin.on('end', () => { db.exec('commit'); process.exit(0) }); process.stdin.resume()`,
      ],
      { cwd: APP_ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
    )
    after(() => {
      if (locker.exitCode === null) locker.kill('SIGKILL')
    })
    await new Promise((r) => locker.stdout.once('data', r))
    const before = load.count('503')
    const refused = await within(
      3000,
      'a write answers 503',
      async () => load.count('503') > before,
      () => load.summary(),
    )
    const read = await request(hub.port, { path: '/find-help', timeoutMs: 5000 })
    assert.equal(read.status, 200, 'reads go on')
    const ready = await request(hub.port, { path: '/readyz', timeoutMs: 5000 })
    assert.equal(ready.status, 200, 'the database still answers reads')
    await sleep(2000)
    assert.equal(hub.child.exitCode, null, 'the process is still up')
    report(
      `SQLite write-locked: first write 503 after ${refused} ms; a read in ${read.ms} ms, /readyz in ${ready.ms} ms`,
    )

    locker.stdin.end()
    await new Promise((r) => locker.once('exit', r))
    const accepted = load.acknowledged.length
    const back = await within(5000, 'writes resume', async () => load.acknowledged.length > accepted)
    report(`SQLite lock released: writes accepted again after ${back} ms`)
    await load.stop()
    const others = [...load.statuses.keys()].filter((s) => s !== '201' && s !== '503')
    assert.deepEqual(others, [], `outcomes: ${load.summary()}`)
    report(`SQLite load outcomes: ${load.summary()}; slowest answer ${Math.max(...load.slowest)} ms`)
    hub.child.kill('SIGTERM')
    assert.equal(await hub.exited, 0)
    await checkWhole(file, load.acknowledged)
  })

  test('a configured database in a missing folder stops the Hub with a message, and makes nothing', async () => {
    const missing = path.join(os.tmpdir(), `hub-missing-${process.pid}`, 'hub.sqlite')
    const hub = await startHub({ DATABASE_URL: missing }, { waitReady: false })
    assert.equal(await hub.exited, 1)
    assert.match(
      hub.output(),
      /The folder .*hub-missing-\d+ for the database does not exist.*Check DATABASE_URL/,
    )
    assert.equal(fs.existsSync(path.dirname(missing)), false)
  })
})

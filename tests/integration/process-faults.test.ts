import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import pg from 'pg'
import { openDatabase } from '#platform/database.ts'
import { CLAIM_MS } from '#platform/outbox.ts'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import {
  apiBody,
  checkWhole,
  type HubProcess,
  killLeftovers,
  preparedDatabase,
  request,
  Submitters,
  sleep,
  startHub,
  within,
} from '#tests/support/faults.ts'
import { APP_ROOT } from '#tests/support/hub.ts'

/**
 * The app process killed, stopped, replaced and restarted under load; backups taken while it writes.
 * Figures are printed for docs/operations.md.
 */
after(killLeftovers)

const report = (line: string) => console.log(`# measured: ${line}`)

function hubCommand(databaseUrl: string, args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: APP_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 120_000,
  })
  return { code: result.status, out: result.stdout, err: result.stderr }
}

/** A new, empty database of the kind, for a restore to go into. */
async function emptyDatabase(kind: string): Promise<string> {
  if (kind === 'sqlite')
    return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-restore-')), 'hub.sqlite')
  const admin = new URL(process.env.TEST_POSTGRES_URL ?? '')
  const name = `hub_restore_${process.pid}_${Date.now()}`
  const client = new pg.Client({ connectionString: admin.toString() })
  await client.connect()
  await client.query(`create database ${name}`)
  await client.end()
  admin.pathname = `/${name}`
  return admin.toString()
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

for (const kind of DIALECTS) {
  describe(`the app process under faults on ${kind}`, () => {
    let url: string
    let apiKey: string
    let hub: HubProcess

    test('kill -9 under 20 concurrent submitters: every acknowledged referral is there after restart', async () => {
      const database = await freshDatabase(kind)
      await database.close()
      url = database.url
      ;({ apiKey } = await preparedDatabase(url))
      hub = await startHub({ DATABASE_URL: url })
      const load = new Submitters(() => hub.port, apiKey, 20)
      await within(20_000, 'referrals go in', async () => load.acknowledged.length >= 20)
      hub.child.kill('SIGKILL')
      await hub.exited
      const killedAt = Date.now()
      hub = await startHub({ DATABASE_URL: url }, { port: hub.port })
      report(`${kind}: after kill -9, the restarted Hub was ready in ${Date.now() - killedAt} ms`)
      const accepted = load.acknowledged.length
      await within(
        10_000,
        'referrals go in after the restart',
        async () => load.acknowledged.length > accepted,
      )
      await load.stop()
      const { referrals } = await checkWhole(url, load.acknowledged)
      report(
        `${kind}: kill -9 under load: ${load.acknowledged.length} acknowledged, ${referrals} stored; ${load.summary()}`,
      )
    })

    test('a backup taken under load restores whole: verify-audit passes, every earlier referral is there', async () => {
      const load = new Submitters(() => hub.port, apiKey, 10)
      await sleep(1000)
      const before = [...load.acknowledged]
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-backup-')), 'hub.backup')
      const started = Date.now()
      const made = hubCommand(url, ['backup', '--to', file])
      assert.equal(made.code, 0, made.err)
      report(`${kind}: backup under load took ${Date.now() - started} ms (${fs.statSync(file).size} bytes)`)
      const during = load.acknowledged.length
      await within(10_000, 'writes went on during the backup', async () => load.acknowledged.length > during)
      await load.stop()

      const target = await emptyDatabase(kind)
      const restored = hubCommand(target, ['restore', '--from', file])
      assert.equal(restored.code, 0, restored.err)
      const verified = hubCommand(target, ['verify-audit'])
      assert.equal(verified.code, 0, verified.err)
      assert.match(verified.out, /Audit chain intact/)
      if (kind === 'sqlite') {
        const integrity = execFileSync('sqlite3', [target, 'pragma integrity_check'], { encoding: 'utf8' })
        assert.equal(integrity.trim(), 'ok')
      }
      await checkWhole(target, before)
      const database = openDatabase(target)
      await database.close()
      hub.child.kill('SIGTERM')
      assert.equal(await hub.exited, 0)
    })

    test('SIGTERM to `npm start` reaches the app: the request in flight finishes, then nothing is left running', async () => {
      const npm = await startHub({ DATABASE_URL: url }, { viaNpm: true })
      const ps = execFileSync('ps', ['-o', 'pid=', '--ppid', String(npm.child.pid)], { encoding: 'utf8' })
      const app = Number(ps.trim())
      assert.ok(app > 0 && alive(app), 'npm runs the app as its child')
      const load = new Submitters(() => npm.port, apiKey, 10)
      await within(20_000, 'referrals go in', async () => load.acknowledged.length >= 10)
      await load.stop()

      // A referral whose body is still arriving when the signal comes.
      const body = JSON.stringify(apiBody())
      const socket = net.connect(npm.port, '127.0.0.1')
      await new Promise((r) => socket.once('connect', r))
      let answer = ''
      socket.on('data', (d) => {
        answer += d
      })
      socket.write(
        `POST /api/v1/referrals HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${apiKey}\r\nX-Forwarded-For: 10.255.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 20)}`,
      )
      await sleep(500)
      npm.child.kill('SIGTERM')
      await sleep(300)
      // Written, not ended: a client that half-closes its side has, for Node, given up on the answer.
      socket.write(body.slice(20))
      await new Promise((r) => socket.once('close', r))
      const gone = await within(30_000, 'the app process ends', async () => !alive(app))
      assert.match(answer, /^HTTP\/1\.1 201/, 'the referral in flight was accepted')
      const reference = /"reference":"([A-Z0-9-]+)"/.exec(answer)?.[1] as string
      report(`${kind}: SIGTERM to npm start: the app drained and ended in ${gone} ms; load ${load.summary()}`)
      // Connections still waiting to be read when it stopped listening are reset; none got a 500.
      const others = [...load.statuses.keys()].filter(
        (s) => !['201', '503', 'ECONNREFUSED', 'ECONNRESET'].includes(s),
      )
      assert.deepEqual(others, [], load.summary())
      await checkWhole(url, [...load.acknowledged, reference])
    })
  })
}

describe('two app processes on PostgreSQL (WEB_CONCURRENCY=2)', () => {
  test('a rolling restart under load fails no request; after kill -9 of a process the outbox keeps going', async () => {
    const database = await freshDatabase('postgres')
    await database.close()
    const { apiKey } = await preparedDatabase(database.url)
    const hub = await startHub({ DATABASE_URL: database.url, WEB_CONCURRENCY: '2' })
    // A second process may still be starting: ask for a while until both have answered.
    const pids = async () => {
      const seen = new Set<number>()
      const deadline = Date.now() + 30_000
      while (seen.size < 2 && Date.now() < deadline) {
        seen.add(JSON.parse((await request(hub.port, { path: '/healthz' })).body).pid)
        if (seen.size < 2) await sleep(50)
      }
      return seen
    }
    const first = await pids()
    assert.equal(first.size, 2)

    const load = new Submitters(() => hub.port, apiKey, 10)
    await within(20_000, 'referrals go in', async () => load.acknowledged.length >= 10)
    const restartAt = Date.now()
    hub.child.kill('SIGHUP')
    await within(60_000, 'the rolling restart ends', async () => /Rolling restart done/.test(hub.output()))
    report(`rolling restart of 2 processes under load took ${Date.now() - restartAt} ms`)
    await sleep(500)
    await load.stop()
    assert.deepEqual([...load.statuses.keys()], ['201'], `every request succeeded: ${load.summary()}`)
    report(`rolling restart under load: ${load.summary()}`)
    const second = await pids()
    assert.equal([...second].filter((p) => first.has(p)).length, 0, 'both processes were replaced')

    // The process that would have been "cluster worker 1" is killed; its replacement and the other send.
    const [victim] = [...second]
    process.kill(victim as number, 'SIGKILL')
    const more = new Submitters(() => hub.port, apiKey, 5)
    await within(20_000, 'a replacement process answers', async () => {
      const now = await pids()
      return now.size === 2 && !now.has(victim as number)
    })
    await within(20_000, 'more referrals go in', async () => more.acknowledged.length >= 20)
    await more.stop()
    const check = openDatabase(database.url)
    try {
      const waiting = async () => {
        const rows = await check.db
          .selectFrom('outbox')
          .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
          .groupBy('status')
          .execute()
        return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))
      }
      // Messages the killed process had claimed wait for its claim to lapse.
      const sentIn = await within(CLAIM_MS + 20_000, 'every message is sent', async () => {
        const counts = await waiting()
        return !counts.pending && !counts.sending && (counts.sent ?? 0) > 0
      })
      report(`outbox after kill -9 of one of 2 processes: all sent ${sentIn} ms after the last referral`)
    } finally {
      await check.close()
    }
    hub.child.kill('SIGTERM')
    assert.equal(await hub.exited, 0)
  })
})

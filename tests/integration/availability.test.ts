import assert from 'node:assert/strict'
import { test } from 'node:test'
import SqliteDatabase from 'better-sqlite3'
import { walk } from '#modules/referrals/testing.ts'
import { isDatabaseUnavailable } from '#platform/availability.ts'
import { DEFAULT_LIMITS, openDatabase } from '#platform/database.ts'
import { TestClient } from '#tests/support/client.ts'
import { freshDatabase } from '#tests/support/databases.ts'
import { testConfig } from '#tests/support/hub.ts'
import { buildApp } from '../../src/app.ts'

test('database errors that mean "out of reach" are told apart from errors in the request', () => {
  const unavailable = [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    Object.assign(new Error('connection failure'), { code: '08006' }),
    Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }),
    Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' }),
    Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' }),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
    new Error('Query read timeout'),
  ]
  for (const error of unavailable) assert.equal(isDatabaseUnavailable(error), true, error.message)
  const mistakes = [
    Object.assign(new Error('duplicate key'), { code: '23505' }),
    Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }),
    new Error('Not found'),
    null,
    'a string',
  ]
  for (const error of mistakes) assert.equal(isDatabaseUnavailable(error), false, String(error))
})

test('a journey answer refused while SQLite is locked gets the 503 page that says earlier answers are kept', async () => {
  const fresh = await freshDatabase('sqlite')
  await fresh.close()
  const database = openDatabase(fresh.url, { ...DEFAULT_LIMITS, busyTimeoutMs: 200 })
  const hub = await buildApp({ config: testConfig({ DATABASE_URL: fresh.url }), database, logger: false })
  await hub.loadReferenceData()
  await hub.app.ready()
  try {
    const client = new TestClient(hub.app, '10.9.0.1')
    await walk(client, [
      ['who', { who: 'self' }],
      ['name', { name: 'Ada Test' }],
    ])
    assert.equal((await client.get('/refer/dob')).statusCode, 200)

    const other = new SqliteDatabase(fresh.url)
    other.exec('begin immediate')
    let refused: Awaited<ReturnType<typeof client.post>>
    try {
      const started = Date.now()
      refused = await client.post('/refer/dob', { choice: 'date' })
      assert.ok(Date.now() - started < 2000, 'refused within the busy timeout, not hung')
    } finally {
      other.exec('commit')
      other.close()
    }
    assert.equal(refused.statusCode, 503)
    assert.equal(refused.headers['retry-after'], '10')
    assert.match(refused.body, /Sorry, the service is unavailable/)
    assert.match(refused.body, /We have kept the answers you gave before this page/)
    assert.match(refused.body, /href="\/refer\/dob"/)

    const kept = await client.get('/refer/dob')
    assert.equal(kept.statusCode, 200)
    const again = await client.post('/refer/dob', { choice: 'date' })
    assert.equal(again.statusCode, 303, 'the same answer goes in once the lock is gone')
    const name = await client.get('/refer/name')
    assert.match(name.body, /Ada Test/, 'the answer given before the refusal was kept')
  } finally {
    await hub.app.close()
    await database.close()
  }
})

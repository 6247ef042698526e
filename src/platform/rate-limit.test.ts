import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import type { Database } from './database.ts'
import { RateLimiter } from './rate-limit.ts'

// The start of a 10-minute window, so a test knows exactly where the window ends.
const WINDOW_START = Date.parse('2026-03-02T09:00:00.000Z')

for (const dialect of DIALECTS) {
  describe(`rate limits on ${dialect}`, () => {
    let database: Database
    let now = WINDOW_START
    let limiter: RateLimiter

    before(async () => {
      database = await freshDatabase(dialect)
      limiter = new RateLimiter(database, () => now)
    })
    after(() => database.close())

    async function hits(key: string, count: number, max = 3, windowSeconds = 600) {
      const answers: boolean[] = []
      for (let i = 0; i < count; i++) answers.push(await limiter.hit(key, max, windowSeconds))
      return answers
    }

    test('allows up to max hits in a window and refuses the rest', async () => {
      now = WINDOW_START
      assert.deepEqual(await hits('sign-in|192.0.2.1', 5), [true, true, true, false, false])
      now = WINDOW_START + 599_999
      assert.deepEqual(await hits('sign-in|192.0.2.1', 1), [false], 'still the same window')
    })

    test('keys count apart', async () => {
      now = WINDOW_START
      assert.deepEqual(await hits('refer|192.0.2.2', 3), [true, true, true])
      assert.deepEqual(await hits('refer|192.0.2.3', 1), [true])
    })

    test('a new window starts counting again', async () => {
      now = WINDOW_START + 100_000
      assert.deepEqual(await hits('track|192.0.2.4', 4), [true, true, true, false])
      now = WINDOW_START + 600_000
      assert.deepEqual(await hits('track|192.0.2.4', 4), [true, true, true, false])
    })

    test('the table holds no address or email, only hashes of the keys', async () => {
      now = WINDOW_START
      await limiter.hit('sign-in|person@example.org|192.0.2.9', 10, 600)
      await limiter.flush()
      const keys = await database.db.selectFrom('rate_limits').select('key').execute()
      assert.ok(keys.length > 0)
      for (const { key } of keys) assert.doesNotMatch(key, /192\.0\.2|@|\|/)
    })

    test('hits at the same moment are all counted: exactly max of them are allowed', async () => {
      now = WINDOW_START
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => limiter.hit('burst|192.0.2.5', 10, 600)),
      )
      assert.equal(answers.filter(Boolean).length, 10)
    })

    test('another process counts the hits once they are written, and a write adds to what it finds', async () => {
      now = WINDOW_START
      const other = new RateLimiter(database, () => now)
      assert.deepEqual(await hits('shared|192.0.2.10', 2, 5), [true, true])
      const stored = () =>
        database.db
          .selectFrom('rate_limits')
          .select('hits')
          .where('window_start', '=', new Date(now).toISOString())
      await limiter.flush()
      assert.equal(await other.hit('shared|192.0.2.10', 5, 600), true, 'the third')
      assert.equal(await other.hit('shared|192.0.2.10', 5, 600), true, 'the fourth')
      assert.deepEqual(
        await hits('shared|192.0.2.10', 1, 5),
        [true],
        'the fifth: the other two are not written yet',
      )
      await other.flush()
      assert.deepEqual(await hits('shared|192.0.2.10', 1, 5), [false], 'the sixth, with all five written')
      await limiter.flush()
      assert.ok((await stored().execute()).some((r) => Number(r.hits) === 6))
    })

    test('hits are written a second after they are counted, with no flush asked for', async () => {
      now = WINDOW_START
      const fresh = new RateLimiter(database, () => now)
      await fresh.hit('later|192.0.2.11', 5, 600)
      const count = async () => (await database.db.selectFrom('rate_limits').select('key').execute()).length
      const before = await count()
      await new Promise((resolve) => setTimeout(resolve, 1500))
      assert.equal(await count(), before + 1)
    })

    test('purge drops counters from windows that ended over a day ago', async () => {
      now = WINDOW_START
      await limiter.hit('old|192.0.2.6', 1, 600)
      now = WINDOW_START + 2 * 86_400_000
      await limiter.hit('new|192.0.2.7', 1, 600)
      await limiter.flush()
      await limiter.purge()
      const left = await database.db.selectFrom('rate_limits').select('window_start').execute()
      assert.ok(left.length > 0)
      assert.ok(left.every((r) => Date.parse(r.window_start) >= now - 86_400_000))
    })
  })
}

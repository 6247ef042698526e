import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import type { Database } from './database.ts'
import { newId } from './ids.ts'
import { hashToken, SessionStore } from './session.ts'

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString()

for (const dialect of DIALECTS) {
  describe(`sessions on ${dialect}`, () => {
    let database: Database
    let sessions: SessionStore

    before(async () => {
      database = await freshDatabase(dialect)
      sessions = new SessionStore(database, { idleMinutes: 30, absoluteHours: 12 })
    })
    after(() => database.close())

    /** Moves a session's clock back, as if time had passed since it was made or last used. */
    async function age(token: string, times: { created_at?: string; last_seen_at?: string }) {
      await database.db.updateTable('sessions').set(times).where('id_hash', '=', hashToken(token)).execute()
    }
    const stored = (token: string) =>
      database.db
        .selectFrom('sessions')
        .selectAll()
        .where('id_hash', '=', hashToken(token))
        .executeTakeFirst()

    test('a new session resumes to its user; the database holds only a hash of the token', async () => {
      const user = newId()
      const token = await sessions.create(user, '192.0.2.1')
      assert.match(token, /^[A-Za-z0-9_-]{43}$/)
      const resumed = await sessions.resume(token)
      assert.deepEqual(resumed, { userId: user, idHash: hashToken(token) })
      const all = await database.db.selectFrom('sessions').select('id_hash').execute()
      assert.ok(all.every((r) => r.id_hash !== token))
      assert.equal(await sessions.resume('not-a-session'), null)
      assert.notEqual(await sessions.create(user, null), token, 'a new id at every sign-in')
    })

    test('29 minutes idle is fine and counts as activity; 31 minutes ends the session', async () => {
      const user = newId()
      const token = await sessions.create(user, null)
      await age(token, { last_seen_at: minutesAgo(29) })
      assert.equal((await sessions.resume(token))?.userId, user)
      const touched = await stored(token)
      assert.ok(Date.now() - Date.parse(touched?.last_seen_at ?? '') < 60_000, 'last_seen_at moved on')

      await age(token, { last_seen_at: minutesAgo(31) })
      assert.equal(await sessions.resume(token), null)
      assert.equal(await stored(token), undefined, 'an expired session is removed')
      // Even fresh activity cannot bring it back.
      assert.equal(await sessions.resume(token), null)
    })

    test('12 hours after sign-in the session ends however active it has been', async () => {
      const user = newId()
      const token = await sessions.create(user, null)
      await age(token, { created_at: minutesAgo(11 * 60 + 59), last_seen_at: minutesAgo(1) })
      assert.equal((await sessions.resume(token))?.userId, user)
      await age(token, { created_at: minutesAgo(12 * 60 + 1), last_seen_at: minutesAgo(0) })
      assert.equal(await sessions.resume(token), null)
      assert.equal(await stored(token), undefined)
    })

    test('destroyAllFor ends every session of that user but the one excepted, and no one else’s', async () => {
      const user = newId()
      const other = newId()
      const [keep, drop1, drop2] = [
        await sessions.create(user, null),
        await sessions.create(user, null),
        await sessions.create(user, null),
      ]
      const theirs = await sessions.create(other, null)
      await sessions.destroyAllFor(user, hashToken(keep))
      assert.equal((await sessions.resume(keep))?.userId, user)
      assert.equal(await sessions.resume(drop1), null)
      assert.equal(await sessions.resume(drop2), null)
      assert.equal((await sessions.resume(theirs))?.userId, other)

      await sessions.destroyAllFor(user)
      assert.equal(await sessions.resume(keep), null)
      assert.equal((await sessions.resume(theirs))?.userId, other)
    })

    test('destroy ends one session; purgeExpired removes those past the absolute limit', async () => {
      const user = newId()
      const [a, b, old] = [
        await sessions.create(user, null),
        await sessions.create(user, null),
        await sessions.create(user, null),
      ]
      await sessions.destroy(hashToken(a))
      assert.equal(await sessions.resume(a), null)
      await age(old, { created_at: minutesAgo(13 * 60) })
      await sessions.purgeExpired()
      assert.equal(await stored(old), undefined)
      assert.ok(await stored(b))
    })
  })
}

import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { TestClient } from '#tests/support/client.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { anotherProcess, type TestHub, testHub } from '#tests/support/hub.ts'
import { boroughId, createStaff, signedInClient } from '#tests/support/users.ts'

const CTX = { userId: null, actor: 'test', ip: null, requestId: null }

/**
 * Each process keeps a signed-in person's access for one value of the access version. Two app processes
 * share the database: whatever changes an account's access, in either process or straight in the
 * database, is seen by the other on its very next request.
 */
for (const dialect of DIALECTS) {
  describe(`a signed-in person's access, kept per process, on ${dialect}`, () => {
    let hub: TestHub
    let other: TestHub

    before(async () => {
      hub = await testHub(dialect)
      other = await anotherProcess(hub)
    })
    after(async () => {
      await other.close()
      await hub.close()
    })

    /** A page of the users list in each process, with the same session cookie. */
    async function usersPage(client: TestClient) {
      const elsewhere = new TestClient(other.app)
      return [
        await client.get('/staff/users'),
        await elsewhere.get('/staff/users', { cookie: client.cookieHeader }),
      ]
    }

    async function adminOf(boroughs: 'all' | string[]) {
      const signedIn = await signedInClient(hub, { roles: ['administrator'], boroughs })
      const user = await hub.accounts.loadStaffUser(signedIn.user.id)
      assert.ok(user)
      return { ...signedIn, actor: user }
    }

    test('a role taken away in one process is refused in both at once', async () => {
      const { actor: boss } = await adminOf('all')
      const { client, user } = await adminOf(['rbkc'])
      for (const page of await usersPage(client)) assert.equal(page.statusCode, 200)
      const rbkc = await boroughId(hub, 'rbkc')
      await other.accounts.updateAccess(
        boss,
        user.id,
        { roles: ['triage-officer'], allBoroughs: false, boroughIds: [rbkc] },
        CTX,
      )
      for (const page of await usersPage(client)) assert.equal(page.statusCode, 403)
    })

    test('a changed borough changes what the next page shows, in both processes', async () => {
      const { actor: boss } = await adminOf('all')
      await createStaff(hub, { roles: ['manager'], boroughs: ['rbkc'], name: 'Ronnie Rbkc' })
      const { client, user } = await adminOf(['rbkc'])
      for (const page of await usersPage(client)) assert.match(page.body, /Ronnie Rbkc/)
      const wcc = await boroughId(hub, 'wcc')
      const choice = { roles: ['administrator'], allBoroughs: false, boroughIds: [wcc] }
      await hub.accounts.updateAccess(boss, user.id, choice, CTX)
      for (const page of await usersPage(client)) {
        assert.equal(page.statusCode, 200)
        assert.doesNotMatch(page.body, /Ronnie Rbkc/)
      }
    })

    test('an account disabled or a role removed straight in the database, sessions kept, takes effect at once', async () => {
      const { client, user } = await adminOf(['rbkc'])
      for (const page of await usersPage(client)) assert.equal(page.statusCode, 200)
      const { db } = hub.database
      await db.deleteFrom('user_roles').where('user_id', '=', user.id).execute()
      for (const page of await usersPage(client)) assert.equal(page.statusCode, 403)
      await db.insertInto('user_roles').values({ user_id: user.id, role_code: 'administrator' }).execute()
      for (const page of await usersPage(client)) assert.equal(page.statusCode, 200)
      await db
        .updateTable('users')
        .set({ disabled_at: new Date().toISOString() })
        .where('id', '=', user.id)
        .execute()
      for (const page of await usersPage(client)) {
        assert.equal(page.statusCode, 303, 'a disabled account is signed out')
        assert.equal(page.headers.location, '/staff/sign-in')
      }
      const sessions = await db
        .selectFrom('sessions')
        .select(sql<number>`count(*)`.as('n'))
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow()
      assert.equal(Number(sessions.n), 1, 'refused by the account, not by a session ended')
    })

    test("a change to a role's permissions in the roles table is seen at once", async () => {
      const { client } = await signedInClient(hub, { roles: ['manager'], boroughs: ['rbkc'] })
      assert.equal((await client.get('/staff/users')).statusCode, 403, 'a manager cannot manage users')
      const { db } = hub.database
      const role = await db
        .selectFrom('roles')
        .select('permissions_json')
        .where('code', '=', 'manager')
        .executeTakeFirstOrThrow()
      await db
        .updateTable('roles')
        .set({ permissions_json: [...role.permissions_json, 'users.manage'] })
        .where('code', '=', 'manager')
        .execute()
      try {
        for (const page of await usersPage(client)) assert.equal(page.statusCode, 200)
      } finally {
        await db
          .updateTable('roles')
          .set({ permissions_json: role.permissions_json })
          .where('code', '=', 'manager')
          .execute()
      }
      for (const page of await usersPage(client)) assert.equal(page.statusCode, 403)
    })

    test("the queue's officers, kept for the access version, change at once in both processes", async () => {
      const { client } = await signedInClient(hub, { roles: ['triage-officer'], boroughs: ['rbkc'] })
      const queues = async () => {
        const elsewhere = new TestClient(other.app)
        return [
          await client.get('/staff/referrals'),
          await elsewhere.get('/staff/referrals', { cookie: client.cookieHeader }),
        ]
      }
      for (const page of await queues()) assert.doesNotMatch(page.body, /Olu Officer/)
      const olu = await createStaff(other, {
        roles: ['triage-officer'],
        boroughs: ['rbkc'],
        name: 'Olu Officer',
      })
      for (const page of await queues())
        assert.match(page.body, /<option value="[^"]+">Olu Officer<\/option>/)
      await hub.database.db
        .updateTable('users')
        .set({ disabled_at: new Date().toISOString() })
        .where('id', '=', olu.id)
        .execute()
      for (const page of await queues()) assert.doesNotMatch(page.body, /Olu Officer/)
    })

    test('signing out in one process ends the session in the other', async () => {
      const { client } = await adminOf(['rbkc'])
      const cookie = client.cookieHeader
      const elsewhere = new TestClient(other.app)
      assert.equal((await elsewhere.get('/staff/users', { cookie })).statusCode, 200)
      await client.get('/staff')
      assert.equal((await client.post('/staff/sign-out', {})).statusCode, 303)
      const after = await elsewhere.get('/staff/users', { cookie })
      assert.equal(after.statusCode, 303)
      assert.equal(after.headers.location, '/staff/sign-in')
    })
  })
}

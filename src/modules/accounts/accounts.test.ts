import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TestClient } from '#tests/support/client.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { createStaff, signedInClient, TEST_PASSWORD } from '#tests/support/users.ts'
import { THROTTLE } from './sign-in.service.ts'

const errorSummary = (html: string) => html.match(/govuk-error-summary__list[\s\S]*?<\/ul>/)?.[0] ?? ''

for (const dialect of DIALECTS) {
  describe(`accounts on ${dialect}`, () => {
    let hub: TestHub

    before(async () => {
      hub = await testHub(dialect)
    })
    after(() => hub.close())

    test('the first administrator comes from a one-time setup link, and only once', async () => {
      const link = await hub.accounts.firstAdministratorLink()
      assert.ok(link)
      const path = new URL(link).pathname
      const client = new TestClient(hub.app)
      await client.get(path)
      const bad = await client.post(path, {
        name: 'Ada',
        email: 'ada@hub.test',
        password: 'short',
        confirm: 'short',
      })
      assert.equal(bad.statusCode, 400)
      assert.match(errorSummary(bad.body), /12 characters or more/)
      assert.match(bad.body, /value="ada@hub.test"/, 'keeps what was typed')
      const ok = await client.post(path, {
        name: 'Ada',
        email: 'ada@hub.test',
        password: TEST_PASSWORD,
        confirm: TEST_PASSWORD,
      })
      assert.equal(ok.statusCode, 303)
      const again = await client.get(path)
      assert.equal(again.statusCode, 404)
      assert.equal(await hub.accounts.firstAdministratorLink(), null, 'no new link once an account exists')
      const signIn = await client.post('/staff/sign-in', { email: 'ADA@hub.test ', password: TEST_PASSWORD })
      assert.equal(signIn.statusCode, 303)
    })

    test('a wrong password is refused with the email kept; the right one gives a new session id', async () => {
      const user = await createStaff(hub, { roles: ['manager'], boroughs: ['wcc'] })
      const client = new TestClient(hub.app, '10.0.0.1')
      await client.get('/staff/sign-in')
      const wrong = await client.post('/staff/sign-in', { email: user.email, password: 'not-the-password' })
      assert.equal(wrong.statusCode, 400)
      assert.match(errorSummary(wrong.body), /email address or password is not right/)
      assert.match(wrong.body, new RegExp(`value="${user.email}"`))
      const long = await client.post('/staff/sign-in', {
        email: `${'a'.repeat(250)}@hub.test`,
        password: 'x',
      })
      assert.match(errorSummary(long.body), /href="#email">Email address must be 254 characters or fewer/)
      const right = await client.post('/staff/sign-in', { email: user.email, password: TEST_PASSWORD })
      assert.equal(right.statusCode, 303)
      const first = right.cookies.find((c) => c.name === 'hub_session')?.value
      // Signed in, the sign-in page sends the person on; a form left open from before now answers
      // "form expired", its token bound to no session. Signing out and in again gives a new id.
      await client.get('/staff/sign-in')
      const stale = await client.post('/staff/sign-in', { email: user.email, password: TEST_PASSWORD })
      assert.equal(stale.statusCode, 403)
      await client.get('/staff')
      await client.post('/staff/sign-out', {})
      await client.get('/staff/sign-in')
      const second = await client.post('/staff/sign-in', { email: user.email, password: TEST_PASSWORD })
      const next = second.cookies.find((c) => c.name === 'hub_session')?.value
      assert.ok(first && next && first !== next)
      const home = await client.get('/staff')
      assert.equal(home.statusCode, 200)
      assert.match(home.headers['cache-control'] as string, /no-store/)
    })

    test('after about 10 failures in 5 minutes an account is paused from that address, with a clear message', async () => {
      const user = await createStaff(hub, { roles: ['manager'], boroughs: ['wcc'] })
      const client = new TestClient(hub.app, '10.2.0.1')
      await client.get('/staff/sign-in')
      for (let i = 0; i < THROTTLE.perAccount; i++) {
        const wrong = await client.post('/staff/sign-in', { email: user.email, password: 'wrong-password-x' })
        assert.equal(wrong.statusCode, 400)
      }
      const paused = await client.post('/staff/sign-in', { email: user.email, password: TEST_PASSWORD })
      assert.equal(paused.statusCode, 429)
      assert.match(paused.body, /Wait 5 minutes/)
      // Five minutes later they can try from that address again.
      await hub.database.db
        .updateTable('sign_in_attempts')
        .set({ at: new Date(Date.now() - 6 * 60_000).toISOString() })
        .execute()
      await client.get('/staff/sign-in')
      assert.equal(
        (await client.post('/staff/sign-in', { email: user.email, password: TEST_PASSWORD })).statusCode,
        303,
      )
    })

    test('wrong passwords from one address or from many cannot lock the real person out', async () => {
      const user = await createStaff(hub, { roles: ['manager'], boroughs: ['wcc'] })
      const attacker = new TestClient(hub.app, '10.4.0.1')
      await attacker.get('/staff/sign-in')
      for (let i = 0; i < THROTTLE.perAccount; i++)
        await attacker.post('/staff/sign-in', { email: user.email, password: 'wrong-password-x' })
      for (let i = 0; i < THROTTLE.perAccount; i++) {
        const c = new TestClient(hub.app, `10.5.0.${i}`)
        await c.get('/staff/sign-in')
        await c.post('/staff/sign-in', { email: user.email, password: 'wrong-password-x' })
      }
      const owner = new TestClient(hub.app, '10.4.0.2')
      await owner.get('/staff/sign-in')
      const started = Date.now()
      const theirs = await owner.post('/staff/sign-in', { email: user.email, password: TEST_PASSWORD })
      assert.equal(theirs.statusCode, 303)
      assert.ok(Date.now() - started >= THROTTLE.slowDownMs - 50, 'slowed down, as a guesser is')
    })

    test('a form without its CSRF token is refused', async () => {
      const user = await createStaff(hub, { roles: ['manager'], boroughs: ['wcc'] })
      const client = new TestClient(hub.app)
      await client.get('/staff/sign-in')
      const res = await client.post(
        '/staff/sign-in',
        { email: user.email, password: TEST_PASSWORD },
        { csrf: false },
      )
      assert.equal(res.statusCode, 403)
      assert.match(res.body, /This form has expired/)
    })

    test('an administrator invites a user, who sets a password through the emailed link', async () => {
      const { client } = await signedInClient(hub, { roles: ['administrator'], boroughs: 'all' })
      await client.get('/staff/users/new')
      const empty = await client.post('/staff/users/new', {})
      assert.equal(empty.statusCode, 400)
      for (const field of ['name', 'email', 'roles', 'boroughs'])
        assert.match(errorSummary(empty.body), new RegExp(`href="#${field}"`))
      const long = await client.post('/staff/users/new', { name: 'x'.repeat(201), email: 'a@hub.test' })
      assert.match(errorSummary(long.body), /href="#name">Their full name must be 200 characters or fewer/)
      assert.match(long.body, /value="a@hub.test"/)
      const email = `invited.${dialect}@hub.test`
      const sent = await client.post('/staff/users/new', {
        name: 'Ines Invited',
        email,
        roles: ['triage-officer'],
        boroughs: 'all',
      })
      assert.equal(sent.statusCode, 303)
      const message = await hub.database.db
        .selectFrom('outbox')
        .selectAll()
        .where('recipient', '=', email)
        .executeTakeFirstOrThrow()
      assert.equal(message.template, 'account-invite')
      const link = new URL(message.personalisation_json.link as string).pathname
      const invitee = new TestClient(hub.app)
      await invitee.get(link)
      const mismatch = await invitee.post(link, { password: TEST_PASSWORD, confirm: 'something else' })
      assert.equal(mismatch.statusCode, 400)
      assert.match(errorSummary(mismatch.body), /do not match/)
      const common = await invitee.post(link, { password: 'password1234', confirm: 'password1234' })
      assert.match(errorSummary(common.body), /common passwords/)
      assert.equal(
        (await invitee.post(link, { password: TEST_PASSWORD, confirm: TEST_PASSWORD })).statusCode,
        303,
      )
      await invitee.get('/staff/sign-in')
      assert.equal((await invitee.post('/staff/sign-in', { email, password: TEST_PASSWORD })).statusCode, 303)
    })

    test('disabling a user ends their sessions at once; enabling lets them back', async () => {
      const { client: admin } = await signedInClient(hub, { roles: ['administrator'], boroughs: 'all' })
      const { client: staff, user } = await signedInClient(hub, { roles: ['manager'], boroughs: ['rbkc'] })
      assert.equal((await staff.get('/staff')).statusCode, 200)
      await admin.get(`/staff/users/${user.id}`)
      assert.equal((await admin.post(`/staff/users/${user.id}/disable`, {})).statusCode, 303)
      assert.equal((await staff.get('/staff')).statusCode, 303, 'signed out at once')
      await staff.get('/staff/sign-in')
      assert.equal(
        (await staff.post('/staff/sign-in', { email: user.email, password: TEST_PASSWORD })).statusCode,
        400,
      )
      await admin.get(`/staff/users/${user.id}`)
      assert.equal((await admin.post(`/staff/users/${user.id}/enable`, {})).statusCode, 303)
      await staff.get('/staff/sign-in')
      assert.equal(
        (await staff.post('/staff/sign-in', { email: user.email, password: TEST_PASSWORD })).statusCode,
        303,
      )
    })

    test('a partner referrer must be linked to a partner organisation, chosen on their page', async () => {
      const ctx = { userId: null, actor: 'test', ip: null, requestId: null }
      const partner = await hub.directory.findOrCreatePartnerOrganisation(
        { name: `Riverside Housing Trust ${dialect}` },
        ctx,
      )
      const library = (await hub.directory.listOrganisations()).find((o) => o.kind !== 'partner')
      assert.ok(library, 'the reference data has a council library service')
      const rbkc = (await hub.accounts.listBoroughs()).find((b) => b.code === 'rbkc')?.id ?? ''
      const { client } = await signedInClient(hub, { roles: ['administrator'], boroughs: 'all' })
      const user = await createStaff(hub, { roles: ['partner-referrer'], boroughs: ['rbkc'] })
      const page = await client.get(`/staff/users/${user.id}`)
      assert.match(
        page.body,
        new RegExp(`<option value="${partner.id}">Riverside Housing Trust ${dialect}</option>`),
      )
      assert.doesNotMatch(page.body, new RegExp(`value="${library.id}"`), 'only partner organisations')

      const access = { roles: 'partner-referrer', boroughs: rbkc }
      const none = await client.post(`/staff/users/${user.id}/access`, { ...access, organisation: '' })
      assert.equal(none.statusCode, 400)
      assert.match(
        errorSummary(none.body),
        /href="#organisation"[^>]*>Select the partner organisation they refer for/,
      )
      const council = await client.post(`/staff/users/${user.id}/access`, {
        ...access,
        organisation: library.id,
      })
      assert.equal(council.statusCode, 400)
      assert.match(errorSummary(council.body), /Select an organisation from the list/)
      assert.match(council.body, /value="partner-referrer" checked/, 'the answers are kept')
      assert.equal((await hub.accounts.loadStaffUser(user.id))?.organisationId, null)

      const saved = await client.post(`/staff/users/${user.id}/access`, {
        ...access,
        organisation: partner.id,
      })
      assert.equal(saved.statusCode, 303)
      const after = await client.follow(saved)
      assert.match(after.body, new RegExp(`<option value="${partner.id}" selected>`))
      assert.match(after.body, /Partner organisation[\s\S]*?Riverside Housing Trust/)
      assert.equal((await hub.accounts.loadStaffUser(user.id))?.organisationId, partner.id)
      const audit = await hub.database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('record_id', '=', user.id)
        .where('action', '=', 'user.access-changed')
        .execute()
      assert.equal(audit.length, 1)
      assert.match(JSON.stringify(audit), /organisation/)
      assert.doesNotMatch(JSON.stringify(audit), /Riverside/, 'field names, not values')

      // Inviting a partner referrer needs the organisation too; a council role does not.
      await client.get('/staff/users/new')
      const invite = {
        name: 'Pat Partner',
        email: `pat.${dialect}@hub.test`,
        roles: 'partner-referrer',
        boroughs: rbkc,
      }
      const refused = await client.post('/staff/users/new', invite)
      assert.equal(refused.statusCode, 400)
      assert.match(errorSummary(refused.body), /Select the partner organisation they refer for/)
      const invited = await client.post('/staff/users/new', { ...invite, organisation: partner.id })
      assert.equal(invited.statusCode, 303)
    })

    test('an account of several roles and boroughs is read whole, each role and borough once', async () => {
      const user = await createStaff(hub, {
        roles: ['manager', 'triage-officer'],
        boroughs: ['rbkc', 'wcc'],
        name: 'Zoe Several',
      })
      const token = await hub.platform.sessions.create(user.id, null)
      const resumed = await hub.accounts.resumeSession(token)
      assert.deepEqual([...(resumed?.user.roles ?? [])].sort(), ['manager', 'triage-officer'])
      assert.equal(resumed?.user.boroughs.length, 2)
      const roles = await hub.accounts.listRoles()
      const granted = roles.filter((r) => ['manager', 'triage-officer'].includes(r.code))
      assert.deepEqual(resumed?.user.permissions, new Set(granted.flatMap((r) => r.permissions_json)))

      const { client } = await signedInClient(hub, { roles: ['administrator'], boroughs: 'all' })
      const page = await client.get('/staff/users')
      const row = page.body.match(/Zoe Several[\s\S]*?<\/tr>/)?.[0] ?? ''
      assert.match(row, />Manager, Triage officer</)
      assert.match(row, />Royal Borough of Kensington and Chelsea, Westminster City Council</)
    })

    test('a scoped administrator cannot give access beyond their own boroughs', async () => {
      const { client } = await signedInClient(hub, { roles: ['administrator'], boroughs: ['rbkc'] })
      const wcc = (await hub.accounts.listBoroughs()).find((b) => b.code === 'wcc')
      await client.get('/staff/users/new')
      const res = await client.post('/staff/users/new', {
        name: 'Wes Minster',
        email: `wes.${dialect}@hub.test`,
        roles: 'manager',
        boroughs: wcc?.id ?? '',
      })
      assert.equal(res.statusCode, 400)
      assert.match(errorSummary(res.body), /only give access to your own boroughs/)
      assert.match(res.body, /value="Wes Minster"/)
    })

    test('changing the password checks the current one, signs out other sessions and sends an email', async () => {
      const { client, user } = await signedInClient(hub, { roles: ['manager'], boroughs: ['rbkc'] })
      const other = new TestClient(hub.app)
      await other.get('/staff/sign-in')
      await other.post('/staff/sign-in', { email: user.email, password: TEST_PASSWORD })
      await client.get('/staff/account/password')
      const wrong = await client.post('/staff/account/password', {
        current: 'nope',
        next: 'a-new-pass-phrase-9',
        confirm: 'a-new-pass-phrase-9',
      })
      assert.equal(wrong.statusCode, 400)
      assert.match(errorSummary(wrong.body), /current password is not right/)
      const ok = await client.post('/staff/account/password', {
        current: TEST_PASSWORD,
        next: 'a-new-pass-phrase-9',
        confirm: 'a-new-pass-phrase-9',
      })
      assert.equal(ok.statusCode, 303)
      assert.equal((await client.get('/staff')).statusCode, 200, 'this session goes on')
      assert.equal((await other.get('/staff')).statusCode, 303, 'the other session has ended')
      const mail = await hub.database.db
        .selectFrom('outbox')
        .select('template')
        .where('recipient', '=', user.email)
        .executeTakeFirstOrThrow()
      assert.equal(mail.template, 'password-changed')
    })

    test('sign-ins, failures and changes are in the audit, without personal values', async () => {
      const rows = await hub.database.db.selectFrom('audit_events').selectAll().execute()
      const actions = new Set(rows.map((r) => r.action))
      for (const a of [
        'sign-in',
        'sign-in.failed',
        'user.invited',
        'user.viewed',
        'user.disabled',
        'user.password-changed',
      ])
        assert.ok(actions.has(a), a)
      const text = JSON.stringify(rows)
      assert.doesNotMatch(text, /@hub\.test/, 'no email addresses in the audit')
      const verdict = await hub.platform.audit.verify()
      assert.deepEqual([verdict.ok, verdict.count], [true, rows.length])
    })
  })
}

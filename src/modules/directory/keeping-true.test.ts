import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'
import { keepingTrueService } from './keeping-true.service.ts'
import { buildService } from './testing.ts'

const system = { userId: null, actor: 'system', ip: null, requestId: null }
const DAY = 86_400_000

for (const dialect of DIALECTS) {
  describe(`keeping the directory true on ${dialect}`, () => {
    let hub: TestHub
    let keeping: ReturnType<typeof keepingTrueService>
    const ids: Record<string, string> = {}
    const dateAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10)
    const reminders = () =>
      hub.database.db
        .selectFrom('outbox')
        .selectAll()
        .where('template', '=', 'directory-review-due')
        .execute()

    before(async () => {
      hub = await testHub(dialect)
      keeping = keepingTrueService(hub.platform)
      const db = hub.database.db
      // Every shipped listing is "never checked": mark them checked so only this test's listings are due.
      await db
        .updateTable('services')
        .set({ assured_date: dateAgo(1) })
        .execute()
      await db
        .updateTable('locations')
        .set({ assured_date: dateAgo(1) })
        .execute()
      const org = await hub.directory.findOrCreatePartnerOrganisation(
        { name: 'Owl Trust', email: 'office@owl.example' },
        system,
      )
      const orphan = await hub.directory.findOrCreatePartnerOrganisation({ name: 'Nobody Ltd' }, system)
      ids.stale = await buildService(db, {
        organisation_id: org.id,
        name: 'Owl stale',
        assured_date: dateAgo(200),
      })
      ids.staleOwned = await buildService(db, {
        organisation_id: org.id,
        name: 'Owl owned',
        assured_date: null,
        owner_email: 'lee@owl.example',
      })
      ids.fresh = await buildService(db, {
        organisation_id: org.id,
        name: 'Owl fresh',
        assured_date: dateAgo(30),
      })
      ids.noOwner = await buildService(db, {
        organisation_id: orphan.id,
        name: 'Nobody stale',
        assured_date: dateAgo(400),
      })
      ids.defunct = await buildService(db, {
        organisation_id: org.id,
        name: 'Owl gone',
        assured_date: dateAgo(400),
        status: 'defunct',
      })
    })
    after(() => hub.close())

    test('owners of listings not checked for six months get one email each, through the outbox', async () => {
      const result = await keeping.sendReviewReminders(system)
      assert.deepEqual(result, { emails: 2, listings: 2 })
      const mail = await reminders()
      const byRecipient = Object.fromEntries(mail.map((m) => [m.recipient, m.personalisation_json.listings]))
      assert.deepEqual(byRecipient, { 'office@owl.example': '- Owl stale', 'lee@owl.example': '- Owl owned' })
      const staff = await signedInClient(hub, { roles: ['directory-editor'], boroughs: 'all' })
      const list = await staff.client.get('/staff/directory')
      assert.match(list.body, /Owl stale<\/a><\/td>[\s\S]*?Check due/)
      assert.match(list.body, /Nobody stale<\/a><\/td>[\s\S]*?Check due/)
      assert.match(list.body, /Owl fresh<\/a><\/td>[\s\S]*?Checked/)
    })

    test('no second reminder within a month; another after it; none once checked', async () => {
      assert.deepEqual(await keeping.sendReviewReminders(system), { emails: 0, listings: 0 })
      assert.deepEqual(await keeping.sendReviewReminders(system, Date.now() + 31 * DAY), {
        emails: 2,
        listings: 2,
      })
      await hub.database.db
        .updateTable('services')
        .set({ assured_date: dateAgo(0) })
        .where('id', '=', ids.stale as string)
        .execute()
      assert.deepEqual(await keeping.sendReviewReminders(system, Date.now() + 62 * DAY), {
        emails: 1,
        listings: 1,
      })
      assert.equal((await reminders()).length, 5)
    })

    test('editors see public reports, mark them dealt with (audited), and can send reminders from the page', async () => {
      await keeping.reportProblem('service', ids.fresh as string, 'Phone number is wrong', {
        ...system,
        actor: 'public',
      })
      const editor = await signedInClient(hub, { roles: ['directory-editor'], boroughs: 'all' })
      const page = await editor.client.get('/staff/directory/problems')
      assert.match(page.body, /Owl fresh[\s\S]*Phone number is wrong/)
      const problem = await hub.database.db
        .selectFrom('directory_problems')
        .selectAll()
        .executeTakeFirstOrThrow()
      const done = await editor.client.post(`/staff/directory/problems/${problem.id}/resolve`, {})
      assert.equal(done.statusCode, 303)
      assert.doesNotMatch((await editor.client.follow(done)).body, /Phone number is wrong/)
      const audit = await hub.database.db
        .selectFrom('audit_events')
        .select('action')
        .where('record_id', '=', problem.id)
        .execute()
      assert.deepEqual(
        audit.map((a) => a.action),
        ['directory.problem.resolved'],
      )
      assert.equal(
        (await editor.client.post(`/staff/directory/problems/${problem.id}/resolve`, {})).statusCode,
        404,
      )
      const sent = await editor.client.post('/staff/directory/reminders', {})
      assert.equal(sent.statusCode, 303)
      assert.match(String(sent.headers.location), /reminded=0&emails=0/)
    })
  })
}

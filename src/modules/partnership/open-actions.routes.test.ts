import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { newId } from '#platform/ids.ts'
import type { TestClient } from '#tests/support/client.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { createStaff, signedInClient } from '#tests/support/users.ts'
import { CTX, lead } from './testing.ts'

/** Links to the actions a page lists, in order. */
function actionIds(html: string): string[] {
  return [...html.matchAll(/href="\/staff\/partnership\/actions\/([0-9a-f-]{36})"/g)].map(
    (m) => m[1] as string,
  )
}

for (const dialect of DIALECTS) {
  describe(`open actions of one owner or organisation on ${dialect}`, () => {
    let hub: TestHub
    let client: TestClient
    const pat = lead()
    const ids = { harbour: '', robin: '', kim: '', other: '', staff: '' }
    const robinsOpen: string[] = []
    let robinsDone = ''
    let kimsOwn = ''
    let othersOwn = ''

    before(async () => {
      hub = await testHub(dialect)
      const harbour = await hub.directory.findOrCreatePartnerOrganisation({ name: 'Harbour Trust' }, CTX)
      const other = await hub.directory.findOrCreatePartnerOrganisation({ name: 'Other Partner' }, CTX)
      const contact = (organisationId: string, name: string) =>
        hub.partnership.addContact(
          pat,
          organisationId,
          { name, role: 'Manager', email: null, phone: null },
          CTX,
        )
      ids.harbour = harbour.id
      ids.robin = await contact(harbour.id, 'Robin Harbour')
      ids.kim = await contact(harbour.id, 'Kim Harbour')
      ids.other = await contact(other.id, 'Olu Other')
      ids.staff = (
        await createStaff(hub, { roles: ['partnership-lead'], boroughs: 'all', name: 'Sam Staff' })
      ).id
      const meeting = await hub.partnership.createMeeting(
        pat,
        { title: 'Spring meeting', heldOn: '2027-03-03', venue: 'Library', agenda: '', nextMeetingOn: null },
        CTX,
      )
      const action = (text: string, dueOn: string, owners: string[]) =>
        hub.partnership.addAction(pat, meeting, { text, dueOn, isPublic: false, owners }, CTX)
      // Thirty of Robin's, due on different days, so that they take two pages; the later ones first.
      for (let day = 30; day >= 1; day--)
        robinsOpen.unshift(
          await action(`Robin's task ${day}`, `2027-04-${String(day).padStart(2, '0')}`, [
            `contact:${ids.robin}`,
          ]),
        )
      robinsDone = await action('Robin finished this', '2027-03-10', [`contact:${ids.robin}`])
      await hub.partnership.updateAction(pat, robinsDone, { status: 'done', note: 'Done' }, CTX)
      kimsOwn = await action('Kim and Sam together', '2027-05-01', [
        `contact:${ids.kim}`,
        `user:${ids.staff}`,
      ])
      othersOwn = await action('Another partner task', '2027-05-02', [`contact:${ids.other}`])
      ;({ client } = await signedInClient(hub, { roles: ['partnership-lead'], boroughs: 'all' }))
    })
    after(() => hub.close())

    test("one contact's open actions, soonest due first, a page at a time; nobody else's, nothing done", async () => {
      const first = await client.get(`/staff/partnership/actions?owner=contact:${ids.robin}`)
      assert.equal(first.statusCode, 200)
      assert.match(first.body, /<h1 class="govuk-heading-l hub-wrap">Robin Harbour<\/h1>/)
      assert.match(first.body, /30 open actions/)
      assert.deepEqual(actionIds(first.body), robinsOpen.slice(0, 25))
      assert.match(first.body, new RegExp(`href="\\?owner=contact:${ids.robin}&amp;page=2"`))
      const second = await client.get(`/staff/partnership/actions?owner=contact:${ids.robin}&page=2`)
      assert.deepEqual(actionIds(second.body), robinsOpen.slice(25))
      for (const page of [first.body, second.body]) {
        assert.ok(!actionIds(page).includes(robinsDone), 'a done action is not open')
        assert.ok(!actionIds(page).includes(kimsOwn))
      }
    })

    test("an organisation's open actions, each once, and a staff owner's", async () => {
      const harbour = await client.get(`/staff/partnership/actions?organisation=${ids.harbour}`)
      assert.equal(harbour.statusCode, 200)
      assert.match(harbour.body, /Harbour Trust/)
      assert.match(harbour.body, /31 open actions/)
      const all = [
        ...actionIds(harbour.body),
        ...actionIds(
          (await client.get(`/staff/partnership/actions?organisation=${ids.harbour}&page=2`)).body,
        ),
      ]
      assert.equal(all.length, 31)
      assert.ok(all.includes(kimsOwn) && !all.includes(othersOwn))

      const sam = await client.get(`/staff/partnership/actions?owner=user:${ids.staff}`)
      assert.equal(sam.statusCode, 200)
      assert.deepEqual(actionIds(sam.body), [kimsOwn])
    })

    test('the whole list links each owner and organisation to their own list', async () => {
      const page = await client.get('/staff/partnership/actions')
      assert.equal(page.statusCode, 200)
      assert.match(
        page.body,
        new RegExp(`<a class="govuk-link" href="\\?owner=contact:${ids.robin}">Robin Harbour</a>`),
      )
      assert.match(
        page.body,
        new RegExp(`<a class="govuk-link" href="\\?owner=user:${ids.staff}">Sam Staff</a>`),
      )
      assert.match(
        page.body,
        new RegExp(`<a class="govuk-link" href="\\?organisation=${ids.harbour}">Harbour Trust</a>`),
      )
    })

    test('a kept page shows every change at the next visit: the version moves in the writing transaction', async () => {
      const robins = `/staff/partnership/actions?owner=contact:${ids.robin}`
      const before = await client.get(robins)
      const whole = async () => actionIds((await client.get('/staff/partnership/actions')).body)
      assert.ok((await whole()).includes(robinsOpen[0] as string))
      assert.deepEqual(actionIds(before.body), robinsOpen.slice(0, 25))
      const withoutNonce = (html: string) => html.replace(/ nonce="[^"]*"/g, '')
      assert.equal(
        withoutNonce((await client.get(robins)).body),
        withoutNonce(before.body),
        'the same page again',
      )

      await hub.partnership.updateAction(pat, robinsOpen[0] as string, { status: 'done', note: '' }, CTX)
      const afterDone = await client.get(robins)
      assert.match(afterDone.body, /29 open actions/)
      assert.deepEqual(actionIds(afterDone.body), robinsOpen.slice(1, 26))
      assert.ok(!(await whole()).includes(robinsOpen[0] as string), 'nor on the whole list')

      const { db } = hub.database
      const meetingId = (
        await db
          .selectFrom('partnership_actions')
          .select('meeting_id')
          .where('id', '=', kimsOwn)
          .executeTakeFirstOrThrow()
      ).meeting_id
      // Hand-made fixes, as an erasure or an operator would make them: the triggers see them too.
      await db
        .updateTable('partnership_meetings')
        .set({ title: 'Renamed meeting' })
        .where('id', '=', meetingId)
        .execute()
      assert.match((await client.get(robins)).body, /Renamed meeting\./)
      await db
        .updateTable('action_owners')
        .set({ name: 'Robin Renamed' })
        .where('contact_id', '=', ids.robin)
        .execute()
      assert.match(
        (await client.get(robins)).body,
        /<h1 class="govuk-heading-l hub-wrap">Robin Renamed<\/h1>/,
      )

      const version = () =>
        db.selectFrom('partnership_actions_version').select('version').executeTakeFirstOrThrow()
      const outside = Number((await version()).version)
      await assert.rejects(
        db.transaction().execute(async (tx) => {
          await tx.deleteFrom('action_owners').where('action_id', '=', othersOwn).execute()
          const inside = Number(
            (await tx.selectFrom('partnership_actions_version').select('version').executeTakeFirstOrThrow())
              .version,
          )
          assert.ok(inside > outside, 'moved within the transaction that wrote')
          throw new Error('undone')
        }),
        /undone/,
      )
      assert.equal(Number((await version()).version), outside, 'and undone with it')
    })

    test('a filter that names nobody, or is not one, answers 404', async () => {
      for (const query of [
        `owner=contact:${newId()}`,
        `organisation=${newId()}`,
        'owner=contact:not-an-id',
        `owner=partner:${ids.robin}`,
        'organisation=',
      ]) {
        const res = await client.get(`/staff/partnership/actions?${query}`)
        assert.equal(res.statusCode, 404, query)
      }
    })
  })
}

import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { MODULES } from '#modules/index.ts'
import { Invalid } from '#platform/errors.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { addDays } from './agreement.ts'
import { meetingRepository } from './meeting.repository.ts'
import { actionOwners, CTX, lead, testMeeting } from './testing.ts'

for (const dialect of DIALECTS) {
  describe(`partnership actions on ${dialect}`, () => {
    let hub: TestHub
    const pat = lead()
    let staffOwner: string
    let contactOwner: string

    before(async () => {
      hub = await testHub(dialect, {}, MODULES)
      ;({ contactOwner, staffOwner } = await actionOwners(hub, 'Action Partner'))
    })
    after(() => hub.close())

    const meeting = (title?: string) => testMeeting(hub, pat, title)

    test('an action without an owner is refused and nothing is saved', async () => {
      const id = await meeting()
      await assert.rejects(
        hub.partnership.addAction(
          pat,
          id,
          { text: 'Write to funders', dueOn: '2027-04-01', isPublic: true, owners: [] },
          CTX,
        ),
        (e: unknown) =>
          e instanceof Invalid && e.message === 'partnership.errors.ownerMissing' && e.field === 'owners',
      )
      await assert.rejects(
        hub.partnership.addAction(
          pat,
          id,
          {
            text: 'Write',
            dueOn: '2027-04-01',
            isPublic: true,
            owners: [`contact:${contactOwner}`, 'user:nobody'],
          },
          CTX,
        ),
        /ownerMissing/,
      )
      assert.equal((await hub.partnership.getMeeting(pat, id)).actions.length, 0)
    })

    test('my actions, open actions by owner and organisation, and dated updates', async () => {
      const id = await meeting('Summer meeting')
      const actionId = await hub.partnership.addAction(
        pat,
        id,
        {
          text: 'Book the hall',
          dueOn: '2027-07-01',
          isPublic: false,
          owners: [`user:${staffOwner}`, `contact:${contactOwner}`],
        },
        CTX,
      )
      const owner = await hub.accounts.loadStaffUser(staffOwner)
      assert.ok(owner)
      assert.ok((await hub.partnership.myActions(owner)).open.some((a) => a.id === actionId))
      const open = await hub.partnership.openActions(pat)
      assert.ok(open.byOwner.find((o) => o.name === 'Sam Staff')?.actions.some((a) => a.id === actionId))
      assert.ok(
        open.byOrganisation.find((o) => o.name === 'Action Partner')?.actions.some((a) => a.id === actionId),
      )

      await hub.partnership.updateAction(owner, actionId, { status: 'done', note: 'Booked for July' }, CTX)
      const shown = await hub.partnership.getAction(pat, actionId)
      assert.equal(shown.action.status, 'done')
      assert.equal(shown.updates[0]?.note, 'Booked for July')
      assert.equal(shown.updates[0]?.user_name, 'Sam Staff')
      assert.ok(!(await hub.partnership.myActions(owner)).open.some((a) => a.id === actionId))
      const stranger = { ...lead([]), id: contactOwner }
      await assert.rejects(
        hub.partnership.updateAction(stranger, actionId, { status: 'open', note: '' }, CTX),
        /Not found/,
      )
    })

    test('owners are reminded before and after the due date, once each, with a moved clock', async () => {
      const id = await meeting('Reminder meeting')
      const dueOn = '2027-09-10'
      const actionId = await hub.partnership.addAction(
        pat,
        id,
        {
          text: 'Send the survey',
          dueOn,
          isPublic: true,
          owners: [`user:${staffOwner}`, `contact:${contactOwner}`],
        },
        CTX,
      )
      const reminders = async () =>
        (
          await hub.database.db
            .selectFrom('outbox')
            .selectAll()
            .where('template', 'like', 'partnership-action-%')
            .execute()
        ).filter((m) => m.personalisation_json.action === 'Send the survey')
      const at = (date: string) => new Date(`${date}T08:00:00Z`)

      await hub.partnership.sendReminders(at(addDays(dueOn, -10)))
      assert.equal((await reminders()).length, 0, 'too early')
      await hub.partnership.sendReminders(at(addDays(dueOn, -2)))
      await hub.partnership.sendReminders(at(addDays(dueOn, -1)))
      const before = await reminders()
      assert.equal(before.length, 2, 'one to each owner, once')
      assert.deepEqual(
        before.map((m) => m.recipient).sort(),
        ['robin@partner.test', (await hub.accounts.loadStaffUser(staffOwner))?.email].sort(),
      )
      assert.ok(before.every((m) => m.template === 'partnership-action-due'))

      await hub.partnership.sendReminders(at(addDays(dueOn, 1)))
      assert.equal((await reminders()).length, 2, 'not overdue enough yet')
      await hub.partnership.sendReminders(at(addDays(dueOn, 3)))
      await hub.partnership.sendReminders(at(addDays(dueOn, 4)))
      const all = await reminders()
      assert.equal(all.filter((m) => m.template === 'partnership-action-overdue').length, 2)

      await hub.partnership.updateAction(pat, actionId, { status: 'done', note: '' }, CTX)
      await hub.partnership.sendReminders(at(addDays(dueOn, 30)))
      assert.equal((await reminders()).length, 4, 'a done action is not chased')
    })

    test("actions reminded after their due date and left open do not fill the reminder job's page", async () => {
      const id = await meeting('Long overdue meeting')
      const add = (text: string) =>
        hub.partnership.addAction(
          pat,
          id,
          { text, dueOn: '2027-09-10', isPublic: false, owners: [`user:${staffOwner}`] },
          CTX,
        )
      const [chased, waiting] = [await add('Chased already'), await add('Not chased yet')]
      // Oldest of all: both reminders went for the first; nothing yet for the second.
      const set = (actionId: string, values: { due_on: string; reminded_after_on?: string }) =>
        hub.database.db.updateTable('partnership_actions').set(values).where('id', '=', actionId).execute()
      await set(chased, { due_on: '2001-01-05', reminded_after_on: '2001-01-05' })
      await set(waiting, { due_on: '2001-01-06' })
      const page = await meetingRepository.openDueBy(hub.database.db, '2001-12-31', 1)
      assert.deepEqual(
        page.map((a) => a.id),
        [waiting],
      )
    })
  })
}

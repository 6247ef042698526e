import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { MODULES } from '#modules/index.ts'
import type { HubEvents } from '#platform/events.ts'
import { defineModule } from '#platform/module.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { actionOwners, CTX, lead, testMeeting } from './testing.ts'

type Closed = HubEvents['partnership.minutes-closed']

/** Stands in for the bulletins' side of the seam: it keeps what the event carried. */
const heard: Closed[] = []
const bulletinListener = defineModule({
  name: 'bulletin-listener',
  folder: 'tests/fixtures/listener',
  permissions: {},
  migrations: {},
  personalData: {},
  events: { listens: ['partnership.minutes-closed'] },
  create({ events }) {
    events.on('partnership.minutes-closed', async (_tx, payload) => {
      heard.push(payload)
    })
    return {}
  },
})

for (const dialect of DIALECTS) {
  describe(`partnership meetings and actions on ${dialect}`, () => {
    let hub: TestHub
    const pat = lead()
    let staffOwner: string
    let contactOwner: string

    before(async () => {
      hub = await testHub(dialect, {}, [...MODULES, bulletinListener])
      ;({ contactOwner, staffOwner } = await actionOwners(hub, 'Meeting Partner'))
    })
    after(() => hub.close())

    const meeting = (title?: string) => testMeeting(hub, pat, title)

    test('closing the minutes publishes the decisions and public actions, once, and freezes the meeting', async () => {
      const id = await meeting('Spring meeting')
      await hub.partnership.addAttendee(
        pat,
        id,
        { person: `user:${staffOwner}`, attendance: 'attended' },
        CTX,
      )
      await hub.partnership.addAttendee(
        pat,
        id,
        { person: `contact:${contactOwner}`, attendance: 'apologies' },
        CTX,
      )
      await hub.partnership.addDecision(pat, id, 'Pool devices across both boroughs', CTX)
      await hub.partnership.addAction(
        pat,
        id,
        {
          text: 'Share the device list',
          dueOn: '2027-04-01',
          isPublic: true,
          owners: [`user:${staffOwner}`, `contact:${contactOwner}`],
        },
        CTX,
      )
      await hub.partnership.addAction(
        pat,
        id,
        { text: 'Private follow-up', dueOn: '2027-04-02', isPublic: false, owners: [`user:${staffOwner}`] },
        CTX,
      )
      await assert.rejects(hub.partnership.closeMinutes(pat, id, CTX), /minutesMissing/)
      await hub.partnership.saveMinutes(
        pat,
        id,
        { minutes: 'We met and agreed.', nextMeetingOn: '2027-06-02' },
        CTX,
      )

      const results = await Promise.allSettled([
        hub.partnership.closeMinutes(pat, id, CTX),
        hub.partnership.closeMinutes(pat, id, CTX),
      ])
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'two at once: exactly one wins')
      const mine = heard.filter((e) => e.meetingId === id)
      assert.equal(mine.length, 1)
      assert.deepEqual(mine[0], {
        meetingId: id,
        title: 'Spring meeting',
        heldOn: '2027-03-03',
        decisions: ['Pool devices across both boroughs'],
        publicActions: [
          { text: 'Share the device list', owners: mine[0]?.publicActions[0]?.owners, dueOn: '2027-04-01' },
        ],
      })
      assert.deepEqual([...(mine[0]?.publicActions[0]?.owners ?? [])].sort(), ['Robin Partner', 'Sam Staff'])
      await assert.rejects(hub.partnership.addDecision(pat, id, 'Too late', CTX), /minutesClosed/)

      const shown = await hub.partnership.getMeeting(pat, id)
      assert.deepEqual(
        shown.attended.map((a) => a.name),
        ['Sam Staff'],
      )
      assert.deepEqual(
        shown.apologies.map((a) => a.name),
        ['Robin Partner'],
      )
    })
  })
}

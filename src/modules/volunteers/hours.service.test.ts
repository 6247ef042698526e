import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { StaffUser } from '#platform/access.ts'
import { Invalid } from '#platform/errors.ts'
import { addDays, londonToday } from '#platform/london.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { boroughId } from '#tests/support/users.ts'
import { csvCell } from './hours.routes.ts'
import { activeVolunteer, CTX, staffIn } from './testing.ts'

const refused = (key: string) => (e: unknown) => e instanceof Invalid && e.message === key

test('CSV cells that Excel would run as formulas are kept as text', () => {
  assert.equal(csvCell('=HYPERLINK("x")'), `'=HYPERLINK("x")`)
  for (const risky of ['+1', '-1', '@SUM(A1)']) assert.equal(csvCell(risky), `'${risky}`)
  assert.equal(csvCell('Chelsea Library'), 'Chelsea Library')
  assert.equal(csvCell(12.5), 12.5)
})

for (const dialect of DIALECTS) {
  describe(`Volunteer hours on ${dialect}`, () => {
    let hub: TestHub
    let rbkc: string
    let coordinator: StaffUser
    const today = londonToday()

    before(async () => {
      hub = await testHub(dialect)
      rbkc = await boroughId(hub, 'rbkc')
      coordinator = staffIn([rbkc])
    })
    after(() => hub.close())

    const self = (account: { id: string; email: string }): StaffUser => ({
      id: account.id,
      name: 'Volunteer',
      email: account.email,
      roles: ['volunteer'],
      permissions: new Set(['volunteers.own']),
      boroughs: [rbkc],
    })

    test("a shift they were at counts its hours once, and only once it has started; the year's figures and letter show them", async () => {
      const v = await activeVolunteer(hub, 'rbkc', 'Hal Hours', { renewsOn: addDays(today, 300) })
      const shiftId = await hub.volunteers.rota.createShift(
        coordinator,
        {
          borough: rbkc,
          title: 'Digital drop-in',
          place: 'Brompton Library',
          date: addDays(today, 3),
          start: '14:00',
          end: '16:30',
          places: 1,
          checkNeeded: 'none',
          courses: [],
        },
        CTX,
      )
      await hub.volunteers.rota.assign(coordinator, shiftId, v.id, CTX)
      const assignment = (await hub.volunteers.rota.shift(coordinator, shiftId)).on[0]?.id as string
      await assert.rejects(
        hub.volunteers.hours.attended(coordinator, shiftId, assignment, CTX),
        refused('volunteers.hours.errors.notYet'),
      )
      // The shift's day comes (moved back a week in the database, as time passing would).
      const weekAgo = (iso: string) => new Date(Date.parse(iso) - 7 * 86_400_000).toISOString()
      const shift = await hub.database.db
        .selectFrom('volunteer_shifts')
        .selectAll()
        .where('id', '=', shiftId)
        .executeTakeFirstOrThrow()
      await hub.database.db
        .updateTable('volunteer_shifts')
        .set({ starts_at: weekAgo(shift.starts_at), ends_at: weekAgo(shift.ends_at) })
        .where('id', '=', shiftId)
        .execute()
      await hub.volunteers.hours.attended(coordinator, shiftId, assignment, CTX)
      await assert.rejects(
        hub.volunteers.hours.attended(coordinator, shiftId, assignment, CTX),
        refused('volunteers.hours.errors.alreadyCounted'),
      )
      const year = Number(addDays(today, -4).slice(0, 4))
      const figures = await hub.volunteers.hours.figures(coordinator, year)
      const kc = figures.boroughs.find((b) => b.id === rbkc)
      assert.ok(kc)
      assert.equal(kc.byPlace.find((p) => p.place === 'Brompton Library')?.hours, 2.5)
      assert.equal(kc.byVolunteer.find((x) => x.id === v.id)?.hours, 2.5)
      assert.ok(kc.hours >= 2.5)
      assert.equal((await hub.volunteers.hours.letter(coordinator, v.id, year)).hours, 2.5)
      assert.equal(figures.boroughs.length, 1, "only the coordinator's own borough")
    })

    test('own hours: not in the future, no day over 24 hours even when two are added at once; approved once', async () => {
      const v = await activeVolunteer(hub, 'rbkc', 'Olu Own', { renewsOn: addDays(today, 300) })
      const me = self(v.account)
      const add = (hours: number, workedOn = today) =>
        hub.volunteers.hours.addOwn(
          me,
          { workedOn, hours, place: 'Home visit', what: 'Set up a tablet' },
          CTX,
        )
      await assert.rejects(add(1, addDays(today, 1)), refused('volunteers.hours.errors.future'))
      const results = await Promise.allSettled([add(13), add(13)])
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
      await add(11)
      await assert.rejects(add(0.25), refused('volunteers.hours.errors.overDay'))
      const waiting = (await hub.volunteers.hours.pending(coordinator)).filter((h) => h.volunteer_id === v.id)
      assert.equal(waiting.length, 2)
      const first = waiting[0]?.id as string
      await hub.volunteers.hours.decide(coordinator, first, true, CTX)
      await assert.rejects(
        hub.volunteers.hours.decide(coordinator, first, false, CTX),
        refused('volunteers.hours.errors.decided'),
      )
      const mine = await hub.volunteers.hours.mine(me)
      assert.deepEqual(mine.map((h) => h.status).sort(), ['approved', 'pending'])
    })
  })
}

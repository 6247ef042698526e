import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Database } from '#platform/database.ts'
import { newId } from '#platform/ids.ts'
import { addDays, londonToday } from '#platform/london.ts'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import { sheetStops } from './round-sheet.ts'
import { CTX, homeLibraryServices, memberAnswers, staffIn } from './testing.ts'

const t = (key: string, params?: Record<string, unknown>) =>
  key === 'homeLibrary.visit.maxItems' ? `Up to ${params?.count} items` : key

for (const dialect of DIALECTS) {
  describe(`The round sheet on ${dialect}`, () => {
    let database: Database
    let s: Awaited<ReturnType<typeof homeLibraryServices>>

    before(async () => {
      database = await freshDatabase(dialect)
      s = await homeLibraryServices(database)
    })
    after(() => database.close())

    /** A Kensington and Chelsea round on Tuesdays, delivered by a new volunteer of that borough. */
    async function roundWithDeliverer(name: string, roundName: string): Promise<string> {
      const volunteer = await s.accounts.createUser(
        {
          name,
          email: `${name.toLowerCase().replace(' ', '.')}.${dialect}@example.com`,
          roles: ['volunteer'],
          allBoroughs: false,
          boroughIds: [s.boroughs.rbkc],
        },
        CTX,
      )
      return s.hl.rounds.create(
        staffIn([s.boroughs.rbkc]),
        s.boroughs.rbkc,
        {
          borough: s.boroughs.rbkc,
          name: roundName,
          library: 'Chelsea',
          weekday: 2,
          deliverer: volunteer.id,
        },
        CTX,
      )
    }

    test("each stop in order with its planned visit and the items still out, oldest first; access notes on the deliverer's copy only, each member's view audited", async () => {
      const rbkc = staffIn([s.boroughs.rbkc])
      const roundId = await roundWithDeliverer('Sheet Deliverer', 'Sheet round')
      const add = (name: string, accessNotes: string) =>
        s.hl.members.add(
          rbkc,
          { ...memberAnswers({ accessNotes }), name, borough: s.boroughs.rbkc, phone: '', postcode: '' },
          CTX,
        )
      const first = await add('Sheet First', 'Ring twice')
      const second = await add('Sheet Second', '')
      for (const m of [first, second]) await s.hl.rounds.addStop(rbkc, roundId, m, CTX)

      const today = londonToday()
      // Items put straight in: recorded visits could not be months old.
      const visitOf = new Map<string, string>()
      for (const m of [first, second]) visitOf.set(m, (await s.hl.visits.ofMember(m))[0]?.id ?? '')
      const item = (memberId: string, title: string, daysAgo: number, collected = false) => ({
        id: newId(),
        member_id: memberId,
        borough_id: s.boroughs.rbkc,
        visit_id: visitOf.get(memberId) ?? '',
        title,
        author: 'A. Writer',
        format: 'large-print' as const,
        identifier: '',
        match_key: title.toLowerCase(),
        delivered_on: addDays(today, -daysAgo),
        collected_on: collected ? today : null,
        created_at: new Date().toISOString(),
      })
      await database.db
        .insertInto('home_library_items')
        .values([
          item(first, 'Newer', 3),
          item(first, 'Long out', 120),
          item(first, 'Brought back', 200, true),
          item(second, 'Only one', 10),
        ])
        .execute()

      const office = await s.hl.rounds.sheet(rbkc, roundId, 'office', CTX)
      assert.equal(office.deliverersCopy, false)
      assert.deepEqual(
        office.stops.map((x) => x.name),
        ['Sheet First', 'Sheet Second'],
      )
      assert.ok(office.stops.every((x) => x.access === null))
      const planned = async (memberId: string) =>
        (await s.hl.visits.ofMember(memberId)).find((v) => v.due_on === office.day && v.status === 'planned')
          ?.id ?? null
      const words = sheetStops(t, office.stops)
      assert.deepEqual(
        words.map((w) => [w.heading, w.formats, w.itemsOut, w.visitId]),
        [
          [
            'Sheet First (homelibrary.daypart.morning)',
            'homeLibrary.format.large-print · Up to 3 items',
            'Long out (homelibrary.round.takeback); Newer',
            await planned(first),
          ],
          [
            'Sheet Second (homelibrary.daypart.morning)',
            'homeLibrary.format.large-print · Up to 3 items',
            'Only one',
            await planned(second),
          ],
        ],
      )
      assert.ok(
        words.some((w) => w.visitId),
        'a member whose delivery day is the round day has a visit that day',
      )

      const audited = () =>
        database.db
          .selectFrom('audit_events')
          .select(['record_id', 'fields_json'])
          .where('action', '=', 'home-library.access-notes-viewed')
          .orderBy('seq')
          .execute()
      assert.equal((await audited()).length, 0)
      const copy = await s.hl.rounds.sheet(rbkc, roundId, 'deliverer', CTX)
      assert.equal(copy.deliverersCopy, true)
      assert.deepEqual(
        copy.stops.map((x) => x.access),
        [
          { member_id: first, access_notes: 'Ring twice', emergency_contact: 'Daughter, 07700 900123' },
          { member_id: second, access_notes: '', emergency_contact: 'Daughter, 07700 900123' },
        ],
      )
      assert.deepEqual(await audited(), [
        { record_id: first, fields_json: ['access_notes', 'emergency_contact'] },
        { record_id: second, fields_json: ['access_notes', 'emergency_contact'] },
      ])
      assert.equal((await s.platform.audit.verify()).ok, true)

      // Without the permission, the deliverer's copy is the office copy and nothing is audited.
      const manager = staffIn([s.boroughs.rbkc], ['home-library.view'])
      const asked = await s.hl.rounds.sheet(manager, roundId, 'deliverer', CTX)
      assert.ok(asked.stops.every((x) => x.access === null))
      assert.equal((await audited()).length, 2)
    })

    test('the stops are read once per version; any write to the stops, members, visits or items shows on the next print', async () => {
      const rbkc = staffIn([s.boroughs.rbkc])
      const roundId = await roundWithDeliverer('Second Deliverer', 'Kept round')
      const add = (name: string) =>
        s.hl.members.add(
          rbkc,
          { ...memberAnswers(), name, borough: s.boroughs.rbkc, phone: '', postcode: '' },
          CTX,
        )
      const [a, b] = [await add('Kept A'), await add('Kept B')]
      for (const m of [a, b]) await s.hl.rounds.addStop(rbkc, roundId, m, CTX)
      const print = () => s.hl.rounds.sheet(rbkc, roundId, 'office', CTX)
      const first = await print()
      assert.equal((await print()).stops, first.stops, 'kept, not read again')
      const stopOf = async (memberId: string) => (await print()).stops.find((x) => x.member_id === memberId)

      await database.db
        .updateTable('home_library_members')
        .set({ likes: 'Poetry' })
        .where('id', '=', a)
        .execute()
      assert.equal((await stopOf(a))?.likes, 'Poetry')

      const visitId = (await stopOf(a))?.visit_id
      assert.ok(visitId, 'a visit planned on the round day')
      await database.db
        .updateTable('home_library_visits')
        .set({ status: 'missed' })
        .where('id', '=', visitId)
        .execute()
      assert.equal((await stopOf(a))?.visit_id, null)

      await database.db
        .insertInto('home_library_items')
        .values({
          id: newId(),
          member_id: b,
          borough_id: s.boroughs.rbkc,
          visit_id: visitId,
          title: 'Just delivered',
          author: 'A. Writer',
          format: 'large-print',
          identifier: '',
          match_key: 'just delivered',
          delivered_on: londonToday(),
          collected_on: null,
          created_at: new Date().toISOString(),
        })
        .execute()
      assert.deepEqual((await stopOf(b))?.out, [{ title: 'Just delivered', overdue: false }])

      const stopB = (await stopOf(b))?.id as string
      await s.hl.rounds.moveStop(rbkc, roundId, stopB, 'up', CTX)
      assert.deepEqual(
        (await print()).stops.map((x) => x.name),
        ['Kept B', 'Kept A'],
      )
    })
  })
}

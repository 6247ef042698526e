/**
 * The figures kept as monthly counts move with each change of a member's status: joiners, leavers by
 * reason, and the active count on any date (the days of its month, or the months before it).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Database } from '#platform/database.ts'
import { newId } from '#platform/ids.ts'
import { addDays, londonToday } from '#platform/london.ts'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import { CTX, homeLibraryServices, memberAnswers, staffIn } from './testing.ts'

for (const dialect of DIALECTS) {
  describe(`Home Library figures on ${dialect}`, () => {
    let database: Database
    let s: Awaited<ReturnType<typeof homeLibraryServices>>
    const today = londonToday()
    const year = Number(today.slice(0, 4))

    before(async () => {
      database = await freshDatabase(dialect)
      s = await homeLibraryServices(database)
    })
    after(() => database.close())

    test('a joiner counts from the day they join, on any later date; a leaver by their reason', async () => {
      const coordinator = staffIn([s.boroughs.rbkc])
      const manager = staffIn([s.boroughs.rbkc], ['home-library.figures'])
      const on = async (day: string) => {
        const f = await s.hl.figures.figures(manager, { on: day, year: Number(day.slice(0, 4)) })
        assert.equal(f.boroughs.length, 1, 'only their borough')
        return f.boroughs[0] as NonNullable<(typeof f.boroughs)[0]>
      }
      const before = await on(today)
      const id = await s.hl.members.add(
        coordinator,
        { ...memberAnswers(), name: 'Nora Newcomer', borough: s.boroughs.rbkc, phone: '', postcode: '' },
        CTX,
      )
      const joined = await on(today)
      assert.equal(joined.active, before.active + 1)
      assert.equal(joined.joined, before.joined + 1)
      assert.equal((await on(addDays(today, -1))).active, before.active, 'not yet the day before')
      // A date in a later month reads this month's count rather than the changes themselves.
      const nextMonth = addDays(`${today.slice(0, 7)}-01`, 40)
      assert.equal((await on(nextMonth)).active, before.active + 1)

      await s.hl.members.changeStatus(coordinator, id, { status: 'left', leftReason: 'died' }, CTX)
      const left = await on(today)
      assert.equal(left.active, before.active)
      assert.equal(left.left.died, (before.left.died ?? 0) + 1)
      assert.equal((await on(nextMonth)).active, before.active)
      const other = await s.hl.figures.figures(staffIn([s.boroughs.wcc], ['home-library.figures']), {
        on: today,
        year,
      })
      assert.equal(other.boroughs[0]?.joined, 0, "the other borough's figures do not move")
    })

    test('figures are computed once per version of their data, per boroughs seen, date and year; any write to the counts moves the version', async () => {
      const rbkc = staffIn([s.boroughs.rbkc], ['home-library.figures'])
      const wcc = staffIn([s.boroughs.wcc], ['home-library.figures'])
      const everywhere = staffIn('all', ['home-library.figures'])
      const asked = { on: today, year }
      const first = await s.hl.figures.figures(rbkc, asked)
      assert.equal(await s.hl.figures.figures(rbkc, asked), first, 'kept, not computed again')
      assert.notEqual(await s.hl.figures.figures(rbkc, { on: addDays(today, -1), year }), first)
      assert.deepEqual(
        (await s.hl.figures.figures(wcc, asked)).boroughs.map((b) => b.boroughId),
        [s.boroughs.wcc],
      )
      assert.equal((await s.hl.figures.figures(everywhere, asked)).boroughs.length, 2)

      // A count written by any route, even straight into the table, moves the version in its transaction.
      const id = newId()
      await database.db
        .insertInto('home_library_monthly_counts')
        .values({ id, borough_id: s.boroughs.rbkc, month: `${year}-01`, measure: 'visits-done', n: 0 })
        .execute()
      assert.notEqual(await s.hl.figures.figures(rbkc, asked), first)
      await database.db
        .updateTable('home_library_monthly_counts')
        .set({ n: 7 })
        .where('id', '=', id)
        .execute()
      const moved = await s.hl.figures.figures(rbkc, asked)
      assert.equal(moved.boroughs[0]?.visitsDone, (first.boroughs[0]?.visitsDone ?? 0) + 7)
      assert.equal(
        (await s.hl.figures.figures(everywhere, asked)).boroughs[0]?.visitsDone,
        moved.boroughs[0]?.visitsDone,
      )
    })
  })
}

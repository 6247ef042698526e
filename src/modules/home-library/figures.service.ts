import { requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import type { Platform } from '#platform/platform.ts'
import { figuresRepository as repo } from './figures.repository.ts'
import { addCount, type BoroughFigures, emptyFigures } from './figures.ts'

/** The service's figures for a borough's managers and coordinators: members on a date, a year's work. */
export function figuresService(platform: Platform) {
  const { db } = platform.database

  return {
    /** Active members on `on`; joiners, leavers, visits, items and digital help in `year`. */
    async figures(user: StaffUser, input: { on: string; year: number }) {
      requirePermission(user, 'home-library.figures')
      const scope = scopeFilter(user)
      const from = `${input.year}-01-01`
      const until = `${input.year}-12-31`
      const boroughs = (await listBoroughs(db)).filter((b) => !scope || scope.includes(b.id))
      const byId = new Map<string, BoroughFigures>(
        boroughs.map((b) => [b.id, emptyFigures(b.id, b.short_name)]),
      )
      const [active, changes, counts, people] = await Promise.all([
        repo.activeOn(db, scope, input.on),
        repo.changes(db, scope, from, until),
        repo.countsByMonth(db, scope, input.year),
        repo.peopleVisited(db, scope, input.year),
      ])
      for (const a of active) {
        const f = byId.get(a.boroughId)
        if (f) f.active = a.count
      }
      for (const c of changes) {
        const f = byId.get(c.borough_id)
        if (!f) continue
        if (c.is_joining) f.joined += c.n
        if (c.status === 'left' && c.reason) f.left[c.reason] = (f.left[c.reason] ?? 0) + c.n
      }
      for (const c of counts) {
        const f = byId.get(c.borough_id)
        if (f) addCount(f, c.month, c.measure, c.n)
      }
      for (const p of people) {
        const f = byId.get(p.boroughId)
        if (f) f.peopleVisited = p.count
      }
      return { on: input.on, year: input.year, boroughs: [...byId.values()] }
    },
  }
}

export type FiguresService = ReturnType<typeof figuresService>

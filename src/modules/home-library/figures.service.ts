import { requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import type { Platform } from '#platform/platform.ts'
import { VersionedCache } from '#platform/versioned-cache.ts'
import { figuresRepository as repo } from './figures.repository.ts'
import { addCount, type BoroughFigures, emptyFigures } from './figures.ts'

export interface Figures {
  on: string
  year: number
  boroughs: BoroughFigures[]
}

/** The service's figures for a borough's managers and coordinators: members on a date, a year's work. */
export function figuresService(platform: Platform) {
  const { db } = platform.database
  const cache = new VersionedCache<Figures>()

  async function compute(scope: readonly string[] | null, input: { on: string; year: number }) {
    const boroughs = (await listBoroughs(db)).filter((b) => !scope || scope.includes(b.id))
    const ids = boroughs.map((b) => b.id)
    const byId = new Map<string, BoroughFigures>(
      boroughs.map((b) => [b.id, emptyFigures(b.id, b.short_name)]),
    )
    const [active, counts] = await Promise.all([
      repo.activeOn(db, ids, input.on),
      repo.countsByMonth(db, ids, input.year),
    ])
    for (const a of active) {
      const f = byId.get(a.boroughId)
      if (f) f.active = a.count
    }
    for (const c of counts) {
      const f = byId.get(c.borough_id)
      if (f) addCount(f, c.month, c.measure, c.n)
    }
    return { on: input.on, year: input.year, boroughs: [...byId.values()] }
  }

  return {
    /**
     * Active members on `on`; joiners, leavers, visits, items, digital help and people visited in `year`.
     * Kept per version of the data, by the boroughs the user sees, the date and the year: the version is
     * read first, so what is kept is never older than the version it is kept under.
     */
    async figures(user: StaffUser, input: { on: string; year: number }): Promise<Figures> {
      requirePermission(user, 'home-library.figures')
      const scope = scopeFilter(user)
      const version = await repo.version(db)
      const key = `${scope ? [...scope].sort().join(',') : 'all'}|${input.on}|${input.year}`
      return cache.get(version, key, () => compute(scope, input))
    },
  }
}

export type FiguresService = ReturnType<typeof figuresService>

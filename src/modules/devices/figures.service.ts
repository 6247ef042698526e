import { requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import type { DeviceCore } from './device.core.ts'
import { deviceRepository as repo } from './device.repository.ts'
import { figureRows, followUpFigures, medianDays } from './figures.ts'

/** The figures for funders and the partnership, and SIM cards whose data ends soon. */
export function figuresService(core: DeviceCore) {
  const { db } = core

  return {
    /**
     * /staff/devices/figures: per month, borough and type since `since` (YYYY-MM-DD), with the people helped,
     * the median days from a referral's request to its device, and SIM cards issued and ending soon.
     */
    async figures(user: StaffUser, since: string) {
      requirePermission(user, 'devices.view')
      const boroughs = scopeFilter(user)
      const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
      const [counts, handovers, people, ending, names, followUps] = await Promise.all([
        repo.monthly(db, boroughs, since),
        repo.referralHandovers(db, boroughs, since),
        repo.peopleHelped(db, boroughs, since),
        repo.simsExpiringBy(db, boroughs, soon),
        listBoroughs(db),
        repo.followUps(db, boroughs, since),
      ])
      const rows = figureRows(counts, (id) => names.find((b) => b.id === id)?.short_name ?? '')
      return {
        rows,
        people,
        medianDays: medianDays(handovers),
        simsIssued: rows.filter((r) => r.kind === 'sim').reduce((n, r) => n + r.lent + r.gifted, 0),
        simsEnding: ending.length,
        followUps: followUpFigures(followUps),
      }
    },

    async simsExpiring(user: StaffUser, before: string) {
      requirePermission(user, 'devices.view')
      return repo.simsExpiringBy(db, scopeFilter(user), before)
    },
  }
}

import { requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import { isUniqueViolation } from '#platform/database.ts'
import { Invalid } from '#platform/errors.ts'
import { newId } from '#platform/ids.ts'
import { londonToday } from '#platform/london.ts'
import type { DeviceCore } from './device.core.ts'
import type { ReturnInput } from './device.inputs.ts'
import { type FollowUpTable, deviceRepository as repo } from './device.repository.ts'

/** Returns and follow-up: a loan back (and on to be wiped again), a lost device, the overdue list, the follow-up. */
export function returnsService(core: DeviceCore) {
  const { db, audit, deviceInScope, move, publishStock } = core

  return {
    /** A loan comes back: what came with it, its condition, and on to be wiped again. */
    async returnDevice(user: StaffUser, input: ReturnInput, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'devices.manage')
      const device = await deviceInScope(user, input.deviceId)
      await db.transaction().execute(async (tx) => {
        await move(tx, user, device, 'returned', { field: 'form' })
        const now = nowIso()
        const open = await repo.openAllocation(tx, device.id)
        if (open)
          await repo.updateAllocation(tx, open.id, {
            ended_at: now,
            end_reason: 'returned',
            return_items_json: input.items,
            return_condition: input.condition,
          })
        await repo.updateDevice(tx, device.id, { condition: input.condition, last_returned_at: now })
        await audit.record(tx, ctx, { action: 'device.returned', recordType: 'device', recordId: device.id })
      })
    },

    /** Lost: out of stock, and off the resident's loan (no fines). */
    async markLost(user: StaffUser, id: string, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'devices.manage')
      const device = await deviceInScope(user, id)
      await db.transaction().execute(async (tx) => {
        await move(tx, user, device, 'lost')
        const open = await repo.openAllocation(tx, device.id)
        if (open) await repo.updateAllocation(tx, open.id, { ended_at: nowIso(), end_reason: 'lost' })
        if (device.status === 'ready') await publishStock(tx, device)
        await audit.record(tx, ctx, { action: 'device.lost', recordType: 'device', recordId: device.id })
      })
    },

    /**
     * The follow-up a few weeks after handover: whether the resident uses it, and what for. Once per
     * handover (the latest); a second, even at the same moment, is refused by the unique allocation.
     */
    async recordFollowUp(
      user: StaffUser,
      id: string,
      input: { usingIt: FollowUpTable['using_it']; uses: string[] },
      ctx: AuditContext,
    ): Promise<void> {
      requirePermission(user, 'devices.manage')
      const device = await deviceInScope(user, id)
      const handover = (await repo.allocationsOf(db, device.id)).find((a) => a.handed_over_at !== null)
      if (!handover) throw new Invalid('devices.errors.notHandedOver', 'usingIt')
      await db.transaction().execute(async (tx) => {
        try {
          await repo.insertFollowUp(tx, {
            id: newId(),
            allocation_id: handover.id,
            borough_id: handover.borough_id,
            using_it: input.usingIt,
            uses_json: input.usingIt === 'no' ? [] : input.uses,
            recorded_by_user_id: user.id,
            recorded_at: nowIso(),
          })
        } catch (error) {
          if (isUniqueViolation(error)) throw new Invalid('devices.errors.followedUp', 'usingIt')
          throw error
        }
        await audit.record(tx, ctx, {
          action: 'device.followed-up',
          recordType: 'device',
          recordId: device.id,
          fields: ['using_it', 'uses'],
        })
      })
    },

    /** Loans due back by `before` (today by default: the overdue list), in the caller's boroughs. */
    async loansDue(user: StaffUser, before = londonToday()) {
      requirePermission(user, 'devices.view')
      return repo.loansDueBy(db, scopeFilter(user), before)
    },
  }
}

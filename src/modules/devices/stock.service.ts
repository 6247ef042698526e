import { requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import type { DeviceCore } from './device.core.ts'
import { STOCK_PAGE_SIZE, type StockQuery } from './device.inputs.ts'
import { deviceRepository as repo } from './device.repository.ts'

/**
 * The stock and one device's life in it: the list with its filters, a device's page, made ready, sent to be
 * wiped again, and a SIM card's voucher code (for device roles only, each look audited).
 */
export function stockService(core: DeviceCore) {
  const { db, audit, deps, deviceInScope, move, publishStock } = core

  return {
    /** A page of the stock in the caller's boroughs, with counts per library and kind. */
    async stock(user: StaffUser, query: StockQuery) {
      requirePermission(user, 'devices.view')
      const boroughs = scopeFilter(user)
      const { rows, total } = await repo.stock(db, {
        boroughs,
        kind: query.kind,
        status: query.status,
        library: query.library,
        text: query.text,
        limit: STOCK_PAGE_SIZE,
        offset: (query.page - 1) * STOCK_PAGE_SIZE,
      })
      return { rows, total, pages: Math.max(1, Math.ceil(total / STOCK_PAGE_SIZE)) }
    },

    /** Devices ready to hand out per library and kind, in the caller's boroughs. */
    async readySummary(user: StaffUser) {
      requirePermission(user, 'devices.view')
      return repo.readySummary(db, scopeFilter(user))
    },

    /** One device with its wipes, disposal, allocations and history; never its voucher code. */
    async getDevice(user: StaffUser, id: string) {
      requirePermission(user, 'devices.view')
      const { voucher_code, ...device } = await deviceInScope(user, id)
      const [wipes, disposal, allocations, history] = await Promise.all([
        repo.wipesOf(db, device.id),
        repo.disposalOf(db, device.id),
        repo.allocationsOf(db, device.id),
        repo.eventsOf(db, device.id),
      ])
      // The latest handover is the one followed up (a gift's allocation is already ended).
      const handover = allocations.find((a) => a.handed_over_at !== null)
      return {
        device: { ...device, has_voucher: voucher_code !== null },
        library: (await deps.directory.findLocation(device.library_id))?.name ?? '',
        handover: handover ?? null,
        followUp: handover ? ((await repo.followUpOf(db, handover.id)) ?? null) : null,
        wipes,
        disposal,
        allocations,
        open: allocations.find((a) => a.ended_at === null) ?? null,
        history,
      }
    },

    /** A SIM's voucher code, for device roles only; every look is audited. */
    async revealVoucher(user: StaffUser, id: string, ctx: AuditContext): Promise<string | null> {
      requirePermission(user, 'devices.vouchers')
      const device = await deviceInScope(user, id)
      await audit.record(db, ctx, {
        action: 'device.voucher-viewed',
        recordType: 'device',
        recordId: device.id,
        fields: ['voucher_code'],
      })
      return device.voucher_code
    },

    /** Ready to hand out: only with a wipe recorded since it last came back (a SIM card needs none). */
    async markReady(user: StaffUser, id: string, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'devices.manage')
      const device = await deviceInScope(user, id)
      await db.transaction().execute(async (tx) => {
        await move(tx, user, device, 'ready', { wiped: true })
        await publishStock(tx, device)
        await audit.record(tx, ctx, { action: 'device.ready', recordType: 'device', recordId: device.id })
      })
    },

    /** Taken out of stock to be wiped again (it was ready, or came back). */
    async sendToWipe(user: StaffUser, id: string, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'devices.manage')
      const device = await deviceInScope(user, id)
      await db.transaction().execute(async (tx) => {
        await move(tx, user, device, 'wiping')
        if (device.status === 'ready') await publishStock(tx, device)
        await audit.record(tx, ctx, { action: 'device.to-wipe', recordType: 'device', recordId: device.id })
      })
    },
  }
}

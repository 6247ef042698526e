import { requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { addDays, londonToday } from '#platform/london.ts'
import type { DeviceCore } from './device.core.ts'
import { STOCK_PAGE_SIZE, type StockQuery } from './device.inputs.ts'
import { deviceRepository as repo } from './device.repository.ts'

/**
 * The stock and one device's life in it: the list with its filters, a device's page, made ready, sent to be
 * wiped again, and a SIM card's voucher code (for device roles only, each look audited).
 */
export function stockService(core: DeviceCore) {
  const { db, audit, deps, deviceInScope, librariesInScope, move, publishStock, kept, keptPages } = core

  /** The boroughs a figure is counted in, as part of its key. */
  const scopeKey = (boroughs: readonly string[] | null) => (boroughs ? [...boroughs].sort().join(' ') : 'all')

  /** A page of the stock with its total, both kept until the stock next changes. */
  async function stockAt(version: number, boroughs: readonly string[] | null, query: StockQuery) {
    const filter = {
      boroughs,
      kind: query.kind,
      status: query.status,
      library: query.library,
      text: query.text,
    }
    const key = JSON.stringify([scopeKey(boroughs), query.kind, query.status, query.library, query.text])
    const [rows, total] = await Promise.all([
      keptPages.get(version, `${key} ${query.page}`, () =>
        repo.stockRows(db, { ...filter, limit: STOCK_PAGE_SIZE, offset: (query.page - 1) * STOCK_PAGE_SIZE }),
      ),
      kept.get(version, `total ${key}`, () => repo.stockCount(db, filter)),
    ])
    return { rows, total, pages: Math.max(1, Math.ceil(total / STOCK_PAGE_SIZE)) }
  }

  const readyAt = (version: number, boroughs: readonly string[] | null) =>
    kept.get(version, `ready ${scopeKey(boroughs)}`, () => repo.readySummary(db, boroughs))

  /** Loans due back before today: the day is part of the key, so a loan becomes overdue at midnight. */
  function overdueAt(version: number, boroughs: readonly string[] | null) {
    const today = londonToday()
    return kept.get(version, `overdue ${scopeKey(boroughs)} ${today}`, () =>
      repo.loansDueCount(db, boroughs, addDays(today, -1)),
    )
  }

  return {
    /**
     * The stock page: a page of the stock, what is ready per library and kind, the loans overdue, and the
     * caller's libraries (a write to the libraries moves the stock's version too).
     */
    async stockPage(user: StaffUser, query: StockQuery) {
      requirePermission(user, 'devices.view')
      const boroughs = scopeFilter(user)
      const version = await repo.stockVersion(db)
      const [stock, ready, overdue, libraries] = await Promise.all([
        stockAt(version, boroughs, query),
        readyAt(version, boroughs),
        overdueAt(version, boroughs),
        kept.get(version, `libraries ${scopeKey(boroughs)}`, () => librariesInScope(user)),
      ])
      return { stock, ready, overdue, libraries }
    },

    /** A page of the stock in the caller's boroughs, with the total its filter finds. */
    async stock(user: StaffUser, query: StockQuery) {
      requirePermission(user, 'devices.view')
      return stockAt(await repo.stockVersion(db), scopeFilter(user), query)
    },

    /** Devices ready to hand out per library and kind, in the caller's boroughs. */
    async readySummary(user: StaffUser) {
      requirePermission(user, 'devices.view')
      return readyAt(await repo.stockVersion(db), scopeFilter(user))
    },

    /** How many loans are overdue today, in the caller's boroughs. */
    async overdueCount(user: StaffUser) {
      requirePermission(user, 'devices.view')
      return overdueAt(await repo.stockVersion(db), scopeFilter(user))
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

import { requireInScope, requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import { addDays, londonToday } from '#platform/london.ts'
import type { Platform } from '#platform/platform.ts'
import { type DepositTable, depositRepository as repo } from './deposit.repository.ts'
import type { DepositInput } from './home-library.schemas.ts'

/** A collection is listed as due this many days before its refresh date: the reminder. */
export const DEPOSIT_REMINDER_DAYS = 7

export function depositDue(deposit: Pick<DepositTable, 'refresh_on'>, today: string): boolean {
  return deposit.refresh_on <= addDays(today, DEPOSIT_REMINDER_DAYS)
}

/** Deposit collections: stock placed at partner sites, counted, refreshed on a cycle with a reminder. */
export function depositService(platform: Platform) {
  const { database, audit } = platform
  const { db } = database

  return {
    async list(user: StaffUser) {
      requirePermission(user, 'home-library.view')
      const today = londonToday()
      return (await repo.list(db, scopeFilter(user))).map((d) => ({ ...d, due: depositDue(d, today) }))
    },

    async add(user: StaffUser, input: DepositInput, ctx: AuditContext): Promise<string> {
      requirePermission(user, 'home-library.manage')
      requireInScope(user, input.borough)
      if (!(await listBoroughs(db)).some((b) => b.id === input.borough))
        throw new Invalid('homeLibrary.errors.borough', 'borough')
      const id = newId()
      const today = londonToday()
      const now = nowIso()
      await db.transaction().execute(async (tx) => {
        await repo.insert(tx, {
          id,
          borough_id: input.borough,
          site: input.site,
          kind: input.kind,
          items_placed: input.itemsPlaced,
          placed_on: today,
          refresh_weeks: input.refreshWeeks,
          refresh_on: addDays(today, input.refreshWeeks * 7),
          created_at: now,
          updated_at: now,
        })
        await audit.record(tx, ctx, {
          action: 'home-library.deposit-added',
          recordType: 'home-library-deposit',
          recordId: id,
        })
      })
      return id
    },

    /** One collection of the caller's boroughs. */
    async get(user: StaffUser, id: string): Promise<DepositTable> {
      requirePermission(user, 'home-library.view')
      const deposit = isUuid(id) ? await repo.find(db, id) : undefined
      if (!deposit) throw new NotFound()
      requireInScope(user, deposit.borough_id)
      return deposit
    },

    /** New stock placed today: the count replaces the old one and the next refresh is set. */
    async refresh(user: StaffUser, id: string, itemsPlaced: number, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'home-library.manage')
      const deposit = isUuid(id) ? await repo.find(db, id) : undefined
      if (!deposit) throw new NotFound()
      requireInScope(user, deposit.borough_id)
      const today = londonToday()
      await db.transaction().execute(async (tx) => {
        await repo.update(tx, id, {
          items_placed: itemsPlaced,
          placed_on: today,
          refresh_on: addDays(today, deposit.refresh_weeks * 7),
          updated_at: nowIso(),
        })
        await audit.record(tx, ctx, {
          action: 'home-library.deposit-refreshed',
          recordType: 'home-library-deposit',
          recordId: id,
          fields: ['items_placed'],
        })
      })
    },
  }
}

export type DepositService = ReturnType<typeof depositService>

import { requireInScope, type StaffUser, scopeFilter } from '#platform/access.ts'
import { nowIso } from '#platform/clock.ts'
import type { Executor, Tx } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import type { ModuleEvents } from '#platform/events.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { VersionedCache } from '#platform/versioned-cache.ts'
import type { DirectoryService } from '../directory/index.ts'
import type { PersonService } from '../people/index.ts'
import type { RequestLookup } from './device.inputs.ts'
import { type DeviceTable, deviceRepository as repo } from './device.repository.ts'
import { capacityService, type DeviceState, KIND_PLURAL, statesBefore } from './device.ts'

/** Figures kept per version of the stock: a few per borough, and a total per filter seen (each a number). */
const MOST_KEPT = 5_000
/**
 * Pages of the stock kept per version: pages of 50 devices, some 10 KB each on the heap, so at most 10 MB.
 * The oldest goes first, so a bound below the filters in use keeps none: each type and state at each
 * library of a borough is over 600 of them (the bench asks for them in turn; at 200 every page missed).
 */
const MOST_PAGES_KEPT = 1_000

/** What the device stock needs of other modules, by their manifests. */
export interface DeviceDeps {
  directory: Pick<DirectoryService, 'listLibraries' | 'findLocation' | 'reportCapacity'>
  people: Pick<PersonService, 'create'>
  referrals: RequestLookup
  events: ModuleEvents
}

/**
 * What every part of the device stock's use cases shares: the caller's libraries and devices, the one way
 * a device changes state, and the directory's live count. Every change of state is a conditional update
 * (`move`) as the first write of its transaction: the database, not a page, decides what may move, and of
 * two staff acting at once exactly one wins. The directory's count moves in the same transaction.
 */
export function deviceCore(platform: Platform, deps: DeviceDeps) {
  const { db } = platform.database

  async function librariesInScope(user: StaffUser) {
    const all = await deps.directory.listLibraries()
    return all.filter((l) => user.boroughs === 'all' || user.boroughs.includes(l.borough_id))
  }

  async function deviceInScope(user: StaffUser, id: string, executor: Executor = db): Promise<DeviceTable> {
    const device = isUuid(id) ? await repo.findDevice(executor, id) : undefined
    if (!device) throw new NotFound()
    requireInScope(user, device.borough_id)
    return device
  }

  /**
   * The directory's count of this kind at this library, in the caller's transaction: everything here reads
   * through `tx`, since on SQLite the transaction holds the one connection.
   */
  async function publishStock(tx: Tx, device: Pick<DeviceTable, 'borough_id' | 'library_id' | 'kind'>) {
    const [available, library] = await Promise.all([
      repo.readyCount(tx, device),
      deps.directory.findLocation(device.library_id, tx),
    ])
    const where = library?.name ?? 'a library'
    const what = KIND_PLURAL[device.kind]
    await deps.directory.reportCapacity(
      {
        service: capacityService(device.kind),
        unit: `${what} at ${where}`,
        available,
        description: `${available} ${what} available ${device.kind === 'sim' ? 'to take' : 'to borrow'} at ${where}`,
      },
      tx,
    )
  }

  /**
   * Moves a device from whatever state allows `to`; when it may not, says why in the form's terms. The
   * conditional update is the transaction's first write, so SQLite takes its lock before anything is read.
   */
  async function move(
    tx: Tx,
    user: StaffUser,
    device: DeviceTable,
    to: DeviceState,
    opts: { wiped?: boolean; field?: string } = {},
  ): Promise<void> {
    const now = nowIso()
    const moved = await repo.moveIf(tx, device.id, statesBefore(to), to, {
      boroughs: scopeFilter(user),
      wiped: opts.wiped,
      now,
    })
    if (!moved) {
      const current = await repo.findDevice(tx, device.id)
      if (!current) throw new NotFound()
      if (opts.wiped && statesBefore(to).includes(current.status))
        throw new Invalid('devices.errors.noWipe', opts.field ?? 'form')
      if (to === 'allocated') throw new Invalid('devices.errors.notReady', opts.field ?? 'form')
      throw new Invalid('devices.errors.notAllowed', opts.field ?? 'form')
    }
    await repo.insertEvent(tx, {
      id: newId(),
      device_id: device.id,
      from_status: device.status,
      to_status: to,
      user_id: user.id,
      at: now,
    })
  }

  return {
    platform,
    deps,
    db,
    audit: platform.audit,
    librariesInScope,
    deviceInScope,
    publishStock,
    move,
    kept: new VersionedCache(MOST_KEPT),
    keptPages: new VersionedCache(MOST_PAGES_KEPT),
  }
}

export type DeviceCore = ReturnType<typeof deviceCore>

import { randomInt } from 'node:crypto'
import { requireInScope, requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import { type Executor, isUniqueViolation, type Tx } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import type { ModuleEvents } from '#platform/events.ts'
import { isUuid, newId } from '#platform/ids.ts'
import { londonToday } from '#platform/london.ts'
import type { Platform } from '#platform/platform.ts'
import type { DirectoryService } from '../directory/index.ts'
import type { PersonService } from '../people/index.ts'
import { type DeviceTable, type FollowUpTable, deviceRepository as repo } from './device.repository.ts'
import {
  AGREEMENT_VERSION,
  capacityService,
  compactDigits,
  type DeviceKind,
  type DeviceState,
  dueDateProblem,
  type HandoverItem,
  iccidValid,
  identifierOf,
  imeiValid,
  KIND_PLURAL,
  needsWipe,
  newAssetTag,
  statesBefore,
} from './device.ts'
import { figureRows, followUpFigures, medianDays } from './figures.ts'

/** What the referrals module offers for fulfilling a request (its service, by its manifest). */
export interface RequestLookup {
  openRequest(
    user: StaffUser,
    reference: string,
    kinds: readonly ('device' | 'connectivity')[],
  ): Promise<{ needId: string; personId: string; boroughId: string; askedAt: string }>
}

export interface NewDonation {
  library: string
  donorKind: 'organisation' | 'person'
  donorName: string
  donorEmail: string
  receivedOn: string
  description: string
}

export interface NewDevice {
  kind: DeviceKind
  makeModel: string
  serial: string
  identifier: string
  source: 'bought' | 'donated' | 'national-scheme'
  donation: string
  condition: string
  library: string
  network: string
  allowance: string
  activatedOn: string
  expiresOn: string
  voucherCode: string
}

export interface WipeInput {
  method: string
  standard: string
  tool: string
  wipedBy: string
  wipedOn: string
  certificateRef: string
}

export interface DisposalInput {
  outcome: 'recycled' | 'destroyed'
  recycler: string
  certificateRef: string
  disposedOn: string
}

/** Who gets the device: a referral's request by its reference, or a resident at the desk by name. */
export type Recipient = { reference: string } | { personName: string; phone?: string }

export interface AllocationInput {
  deviceId: string
  kind: 'loan' | 'gift'
  dueOn?: string
  recipient: Recipient
}

export interface HandoverInput {
  deviceId: string
  agreedName: string
  items: HandoverItem[]
  /** The channels the resident says are safe for reminders; none, and only staff are reminded. */
  remindBy?: ('text' | 'email')[]
}

export interface ReturnInput {
  deviceId: string
  items: HandoverItem[]
  condition: string
}

export interface StockQuery {
  kind?: DeviceKind
  status?: DeviceState
  library?: string
  text?: string
  page: number
}

export const STOCK_PAGE_SIZE = 50

/**
 * Use cases of the device stock. Every change of state is a conditional update (`moveIf`) as the first
 * write of its transaction: the database, not a page, decides what may move, and of two staff acting at
 * once exactly one wins. The directory's live count moves in the same transaction.
 */
export function deviceService(
  platform: Platform,
  deps: {
    directory: Pick<DirectoryService, 'listLibraries' | 'findLocation' | 'reportCapacity'>
    people: Pick<PersonService, 'create'>
    referrals: RequestLookup
    events: ModuleEvents
  },
) {
  const { database, audit } = platform
  const { db } = database

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
  async function publishStock(tx: Tx, device: Pick<DeviceTable, 'library_id' | 'kind'>) {
    const [available, library] = await Promise.all([
      repo.readyCount(tx, device.library_id, device.kind),
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

  function checkIdentifier(kind: DeviceKind, value: string): { imei: string | null; iccid: string | null } {
    const expected = identifierOf(kind)
    if (!expected) return { imei: null, iccid: null }
    if (!value) throw new Invalid(`devices.errors.${expected}Missing`, 'identifier')
    const digits = compactDigits(value).toUpperCase()
    if (expected === 'imei' && !imeiValid(digits)) throw new Invalid('devices.errors.imeiCheck', 'identifier')
    if (expected === 'iccid' && !iccidValid(digits))
      throw new Invalid('devices.errors.iccidCheck', 'identifier')
    return expected === 'imei' ? { imei: digits, iccid: null } : { imei: null, iccid: digits }
  }

  /** Allocates inside `tx`: the claim first, then the allocation row (a unique index backs the claim). */
  async function allocateIn(
    tx: Tx,
    user: StaffUser,
    device: DeviceTable,
    row: {
      /** The resident's record: found already, or made (at the desk) once the claim has succeeded. */
      person: () => Promise<string>
      boroughId: string
      kind: 'loan' | 'gift'
      dueOn: string | null
      via: string
    },
    request: { needId: string; askedAt: string } | null,
    ctx: AuditContext,
  ): Promise<string> {
    await move(tx, user, device, 'allocated', { wiped: true, field: 'device' })
    const personId = await row.person()
    const id = newId()
    try {
      await repo.insertAllocation(tx, {
        id,
        device_id: device.id,
        person_id: personId,
        borough_id: row.boroughId,
        kind: row.kind,
        via: row.via,
        referral_need_id: request?.needId ?? null,
        requested_at: request?.askedAt ?? null,
        due_on: row.dueOn,
        allocated_by_user_id: user.id,
        allocated_at: nowIso(),
        agreement_version: null,
        agreed_name: null,
        witness_user_id: null,
        handed_over_at: null,
        handover_items_json: null,
        ended_at: null,
        end_reason: null,
        return_items_json: null,
        return_condition: null,
        due_reminded_at: null,
        expiry_reminded_at: null,
        can_text: false,
        can_email: false,
        follow_up_asked_at: null,
      })
    } catch (error) {
      if (isUniqueViolation(error)) throw new Invalid('devices.errors.notReady', 'device')
      throw error
    }
    await audit.record(tx, ctx, {
      action: 'device.allocated',
      recordType: 'device',
      recordId: device.id,
      fields: ['person', 'kind', ...(row.dueOn ? ['due_on'] : []), ...(request ? ['referral'] : [])],
    })
    return id
  }

  function checkDue(kind: 'loan' | 'gift', dueOn: string | undefined): string | null {
    if (kind === 'gift') return null
    if (!dueOn) throw new Invalid('devices.errors.dueMissing', 'dueOn')
    const problem = dueDateProblem(dueOn, londonToday())
    if (problem) throw new Invalid(`devices.errors.due-${problem}`, 'dueOn')
    return dueOn
  }

  async function handOverIn(
    tx: Tx,
    user: StaffUser,
    device: DeviceTable,
    input: HandoverInput,
    ctx: AuditContext,
  ): Promise<void> {
    const allocation = await repo.openAllocation(tx, device.id)
    const to: DeviceState = allocation?.kind === 'gift' ? 'gifted' : 'on-loan'
    await move(tx, user, device, to)
    if (!allocation) throw new Invalid('devices.errors.notAllowed')
    const now = nowIso()
    await repo.updateAllocation(tx, allocation.id, {
      agreement_version: AGREEMENT_VERSION,
      agreed_name: input.agreedName,
      witness_user_id: user.id,
      handed_over_at: now,
      handover_items_json: input.items,
      can_text: input.remindBy?.includes('text') ?? false,
      can_email: input.remindBy?.includes('email') ?? false,
      // A gift is the resident's from now on: nothing stays open to return.
      ...(allocation.kind === 'gift' ? { ended_at: now, end_reason: 'gifted' } : {}),
    })
    await audit.record(tx, ctx, {
      action: 'device.handed-over',
      recordType: 'device',
      recordId: device.id,
      fields: ['agreed_name', 'agreement_version', 'items', ...(input.remindBy?.length ? ['remind_by'] : [])],
    })
    await deps.events.publish(tx, 'devices.handed-over', {
      allocationId: allocation.id,
      deviceId: device.id,
      personId: allocation.person_id,
      referralNeedId: allocation.referral_need_id,
      kind: allocation.kind === 'gift' ? 'gift' : 'loan',
    })
  }

  return {
    librariesInScope,

    /** A donor's intake: who gave what, at which library. */
    async recordDonation(user: StaffUser, input: NewDonation, ctx: AuditContext): Promise<string> {
      requirePermission(user, 'devices.manage')
      const library = (await librariesInScope(user)).find((l) => l.id === input.library)
      if (!library) throw new Invalid('devices.errors.library', 'library')
      const id = newId()
      await db.transaction().execute(async (tx) => {
        await repo.insertDonation(tx, {
          id,
          borough_id: library.borough_id,
          donor_kind: input.donorKind,
          donor_name: input.donorName,
          donor_email: input.donorEmail || null,
          received_on: input.receivedOn,
          description: input.description,
          created_by_user_id: user.id,
          created_at: nowIso(),
        })
        await audit.record(tx, ctx, {
          action: 'device.donation-recorded',
          recordType: 'donation',
          recordId: id,
        })
      })
      return id
    },

    async recentDonations(user: StaffUser) {
      requirePermission(user, 'devices.view')
      return repo.recentDonations(db, scopeFilter(user), 50)
    },

    /**
     * A donation and what became of each device, for the donor: the device, and whether it was reused,
     * recycled or is still being prepared. Never who has it.
     */
    async donationReport(user: StaffUser, id: string) {
      requirePermission(user, 'devices.view')
      const donation = isUuid(id) ? await repo.findDonation(db, id) : undefined
      if (!donation) throw new NotFound()
      requireInScope(user, donation.borough_id)
      const devices = await repo.devicesOfDonation(db, id)
      return {
        donation,
        devices: devices.map((d) => ({
          assetTag: d.asset_tag,
          kind: d.kind,
          makeModel: d.make_model,
          became: d.disposal_outcome ?? outcomeOf(d.status),
        })),
      }
    },

    /** A new device or SIM card, received at a library. Its check digits and serial are checked first. */
    async addDevice(user: StaffUser, input: NewDevice, ctx: AuditContext): Promise<string> {
      requirePermission(user, 'devices.manage')
      const library = (await librariesInScope(user)).find((l) => l.id === input.library)
      if (!library) throw new Invalid('devices.errors.library', 'library')
      const ids = checkIdentifier(input.kind, input.identifier)
      const serial = input.serial || null
      if (serial && (await repo.findBySerial(db, serial)))
        throw new Invalid('devices.errors.serialTaken', 'serial')
      let donationId: string | null = null
      if (input.source === 'donated') {
        const donation = isUuid(input.donation) ? await repo.findDonation(db, input.donation) : undefined
        if (!donation || donation.borough_id !== library.borough_id)
          throw new Invalid('devices.errors.donation', 'donation')
        donationId = donation.id
      }
      const isSim = input.kind === 'sim'
      if (isSim && input.activatedOn && input.expiresOn && input.expiresOn <= input.activatedOn)
        throw new Invalid('devices.errors.expiryOrder', 'expiresOn')
      const id = newId()
      const now = nowIso()
      for (let attempt = 0; ; attempt++) {
        try {
          await db.transaction().execute(async (tx) => {
            await repo.insertDevice(tx, {
              id,
              kind: input.kind,
              make_model: input.makeModel,
              serial,
              ...ids,
              asset_tag: newAssetTag(randomInt),
              source: input.source,
              donation_id: donationId,
              condition: input.condition,
              library_id: library.id,
              borough_id: library.borough_id,
              status: 'received',
              network: isSim ? input.network || null : null,
              allowance: isSim ? input.allowance || null : null,
              activated_on: isSim ? input.activatedOn || null : null,
              expires_on: isSim ? input.expiresOn || null : null,
              voucher_code: isSim ? input.voucherCode || null : null,
              last_returned_at: null,
              created_at: now,
              updated_at: now,
            })
            await repo.insertEvent(tx, {
              id: newId(),
              device_id: id,
              from_status: null,
              to_status: 'received',
              user_id: user.id,
              at: now,
            })
            await audit.record(tx, ctx, { action: 'device.added', recordType: 'device', recordId: id })
          })
          return id
        } catch (error) {
          if (!isUniqueViolation(error)) throw error
          // Someone entered the same serial a moment ago; otherwise the random asset tag met another.
          if (serial && (await repo.findBySerial(db, serial)))
            throw new Invalid('devices.errors.serialTaken', 'serial')
          if (attempt >= 3) throw error
        }
      }
    },

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

    async stockSummary(user: StaffUser) {
      requirePermission(user, 'devices.view')
      return repo.stockSummary(db, scopeFilter(user))
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

    /** A data wipe, with its certificate. A device being received or back from a loan goes to wiping. */
    async recordWipe(user: StaffUser, id: string, input: WipeInput, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'devices.manage')
      const device = await deviceInScope(user, id)
      if (!needsWipe(device.kind)) throw new Invalid('devices.errors.simNoWipe')
      await db.transaction().execute(async (tx) => {
        if (device.status !== 'wiping') await move(tx, user, device, 'wiping')
        await repo.insertWipe(tx, {
          id: newId(),
          device_id: device.id,
          method: input.method,
          standard: input.standard,
          tool: input.tool,
          wiped_by: input.wipedBy,
          wiped_on: input.wipedOn,
          certificate_ref: input.certificateRef,
          recorded_by_user_id: user.id,
          recorded_at: nowIso(),
        })
        await audit.record(tx, ctx, { action: 'device.wiped', recordType: 'device', recordId: device.id })
      })
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

    /** Cannot be reused: retired with the recycler's or destroyer's certificate. */
    async retire(user: StaffUser, id: string, input: DisposalInput, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'devices.manage')
      const device = await deviceInScope(user, id)
      await db.transaction().execute(async (tx) => {
        await move(tx, user, device, 'retired')
        await repo.insertDisposal(tx, {
          id: newId(),
          device_id: device.id,
          outcome: input.outcome,
          recycler: input.recycler,
          certificate_ref: input.certificateRef,
          disposed_on: input.disposedOn,
          recorded_by_user_id: user.id,
          recorded_at: nowIso(),
        })
        if (device.status === 'ready') await publishStock(tx, device)
        await audit.record(tx, ctx, { action: 'device.retired', recordType: 'device', recordId: device.id })
      })
    },

    /**
     * Sets a ready device aside for a resident: from a referral's request (by its reference) or at the desk.
     * Of two staff allocating one device at once, exactly one succeeds; the other is told it is not ready.
     */
    async allocate(user: StaffUser, input: AllocationInput, ctx: AuditContext): Promise<string> {
      requirePermission(user, 'devices.manage')
      const device = await deviceInScope(user, input.deviceId)
      const dueOn = checkDue(input.kind, input.dueOn)
      const request =
        'reference' in input.recipient
          ? await deps.referrals.openRequest(user, input.recipient.reference, ['device', 'connectivity'])
          : null
      const boroughId = request?.boroughId ?? device.borough_id
      return db.transaction().execute(async (tx) => {
        const person = async () => {
          if (request) return request.personId
          const desk = input.recipient as { personName: string; phone?: string }
          return deps.people.create(
            tx,
            {
              boroughId,
              fullName: desk.personName,
              dateOfBirth: null,
              ageRange: null,
              phone: desk.phone || null,
              email: null,
              postcode: null,
              preferredLanguage: null,
            },
            ctx,
          )
        }
        const via = request ? 'referral' : 'desk'
        const id = await allocateIn(
          tx,
          user,
          device,
          { person, boroughId, kind: input.kind, dueOn, via },
          request,
          ctx,
        )
        await publishStock(tx, device)
        return id
      })
    },

    /** The resident accepts the agreement at the desk: the loan or gift begins. */
    async handOver(user: StaffUser, input: HandoverInput, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'devices.manage')
      const device = await deviceInScope(user, input.deviceId)
      await db.transaction().execute((tx) => handOverIn(tx, user, device, input, ctx))
    },

    /** An allocation not taken up: the device is ready again. */
    async cancelAllocation(user: StaffUser, id: string, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'devices.manage')
      const device = await deviceInScope(user, id)
      await db.transaction().execute(async (tx) => {
        await move(tx, user, device, 'ready')
        const open = await repo.openAllocation(tx, device.id)
        if (open) await repo.updateAllocation(tx, open.id, { ended_at: nowIso(), end_reason: 'cancelled' })
        await publishStock(tx, device)
        await audit.record(tx, ctx, {
          action: 'device.allocation-cancelled',
          recordType: 'device',
          recordId: device.id,
        })
      })
    },

    /**
     * For the Home Library Service: lends a ready device to a member and hands it over in one step, inside the
     * caller's transaction when given one (its visit commits with the loan, or neither does).
     */
    async lend(
      input: {
        user: StaffUser
        ctx: AuditContext
        personId: string
        /** The member's borough: the device must be kept there. */
        boroughId: string
        /** From the device's label, as staff read it. */
        assetTag: string
        dueOn: string
        agreedName: string
        items: HandoverItem[]
      },
      tx?: Tx,
    ): Promise<string> {
      const { user, ctx } = input
      requirePermission(user, 'devices.lend')
      const found = await repo.findByAssetTag(tx ?? db, input.assetTag.trim().toUpperCase())
      if (!found) throw new Invalid('devices.errors.assetTagUnknown', 'device')
      const device = await deviceInScope(user, found.id, tx)
      if (device.borough_id !== input.boroughId) throw new Invalid('devices.errors.assetTagUnknown', 'device')
      const dueOn = checkDue('loan', input.dueOn)
      const run = async (t: Tx) => {
        const allocationId = await allocateIn(
          t,
          user,
          device,
          {
            person: async () => input.personId,
            boroughId: device.borough_id,
            kind: 'loan',
            dueOn,
            via: 'home-library',
          },
          null,
          ctx,
        )
        await handOverIn(t, user, { ...device, status: 'allocated' }, { ...input, deviceId: device.id }, ctx)
        await publishStock(t, device)
        return allocationId
      }
      return tx ? run(tx) : db.transaction().execute(run)
    },

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

/** What a donor is told became of a device. */
function outcomeOf(status: DeviceState): 'reused' | 'preparing' | 'lost' | 'recycled' {
  if (status === 'allocated' || status === 'on-loan' || status === 'gifted' || status === 'returned')
    return 'reused'
  if (status === 'lost') return 'lost'
  if (status === 'retired') return 'recycled'
  return 'preparing'
}

export type DeviceService = ReturnType<typeof deviceService>

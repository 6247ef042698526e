import { randomInt } from 'node:crypto'
import { requireInScope, requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import { isUniqueViolation } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { DeviceCore } from './device.core.ts'
import type { DisposalInput, NewDevice, NewDonation, WipeInput } from './device.inputs.ts'
import { deviceRepository as repo } from './device.repository.ts'
import {
  compactDigits,
  type DeviceKind,
  type DeviceState,
  iccidValid,
  identifierOf,
  imeiValid,
  needsWipe,
  newAssetTag,
} from './device.ts'

/**
 * Intake, wiping and disposal: a donor's donation, a device or SIM card received (its check digits and
 * serial checked), its data wipes with their certificates, and its disposal when it cannot be reused.
 */
export function intakeService(core: DeviceCore) {
  const { db, audit, deviceInScope, librariesInScope, move, publishStock } = core

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

  return {
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

import { requirePermission, type StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import { isUniqueViolation, type Tx } from '#platform/database.ts'
import { Invalid } from '#platform/errors.ts'
import { newId } from '#platform/ids.ts'
import { londonToday } from '#platform/london.ts'
import type { DeviceCore } from './device.core.ts'
import type { AllocationInput, HandoverInput } from './device.inputs.ts'
import { type DeviceTable, deviceRepository as repo } from './device.repository.ts'
import { AGREEMENT_VERSION, type DeviceState, dueDateProblem, type HandoverItem } from './device.ts'
import { groupCommit } from './group-commit.ts'

/**
 * Allocation and handover: a ready device set aside for a resident (from a referral's request, at the desk
 * or for the Home Library), the agreement accepted at handover, an allocation not taken up. A device is
 * never allocated twice: the conditional move and a unique index on open allocations both refuse it.
 */
export function allocationService(core: DeviceCore) {
  const { db, audit, deps, deviceInScope, move, publishStock } = core
  // Allocations asked for at once share a commit (each answered once it is committed).
  const together = groupCommit(db)

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
    /**
     * Sets a ready device aside for a resident: from a referral's request (by its reference) or at the desk.
     * Of two staff allocating one device at once, exactly one succeeds; the other is told it is not ready.
     * Its transaction may be shared with allocations asked for at the same moment (group commit).
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
      return together.run(async (tx) => {
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
  }
}

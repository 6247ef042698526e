import { nowIso } from '#platform/clock.ts'
import type { Tx } from '#platform/database.ts'
import { londonToday } from '#platform/london.ts'
import type { Platform } from '#platform/platform.ts'
import { isMobile } from '../people/index.ts'
import { deviceRepository as repo } from './device.repository.ts'

/**
 * Days ahead a loan's due date and a SIM card's end are reminded (a SIM card's, until that many days
 * after its data ended: later it is past news); days after handover it is followed up.
 */
export const LOAN_REMINDER_DAYS = 3
export const SIM_REMINDER_DAYS = 14
export const FOLLOW_UP_DAYS = 21

function daysFrom(today: string, days: number): string {
  const d = new Date(`${today}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

export interface ReminderLookups {
  /** The email of the member of staff who handed the device out, if they still have an account. */
  staffEmail(userId: string): Promise<string | null>
  /** The resident's contact details, from the people module. */
  contact(personId: string): Promise<{ fullName: string; phone: string | null; email: string | null } | null>
}

/**
 * Reminds the member of staff who handed each device out, and the resident on the channels they said are
 * safe, that a loan is nearly due or that a SIM card's data nearly ends (with the offer of a new one); and
 * asks staff to follow each handover up a few weeks on. Each once: the messages and the mark in one
 * transaction. Answers how many messages were queued.
 */
export async function sendDeviceReminders(
  platform: Platform,
  lookups: ReminderLookups,
  today = londonToday(),
): Promise<number> {
  const { db } = platform.database
  const link = (deviceId: string) => `${platform.config.publicUrl}/staff/devices/${deviceId}`
  let sent = 0

  type Recipients = { staff: string | null; resident: Awaited<ReturnType<ReminderLookups['contact']>> }

  /**
   * Who hears of an allocation: its member of staff, and the resident if they chose a safe channel. Looked
   * up before the transaction: on SQLite the transaction holds the one connection the lookups would need.
   */
  async function recipientsOf(a: {
    allocated_by_user_id: string | null
    person_id?: string
    can_text?: boolean
    can_email?: boolean
  }): Promise<Recipients> {
    const staff = a.allocated_by_user_id ? await lookups.staffEmail(a.allocated_by_user_id) : null
    const wantsWord = a.person_id && (a.can_text || a.can_email)
    return { staff, resident: wantsWord && a.person_id ? await lookups.contact(a.person_id) : null }
  }

  async function tell(
    tx: Tx,
    to: Recipients,
    a: { borough_id: string; can_text?: boolean; can_email?: boolean },
    templates: { staff: string; resident?: string },
    personalisation: Record<string, string>,
    link: string,
  ) {
    const boroughId = a.borough_id
    if (to.staff) {
      await platform.outbox.enqueue(tx, {
        channel: 'email',
        template: templates.staff,
        recipient: to.staff,
        boroughId,
        personalisation: { ...personalisation, link },
      })
      sent++
    }
    const resident = to.resident
    if (!resident || !templates.resident) return
    const base = {
      template: templates.resident,
      boroughId,
      personalisation: { ...personalisation, name: resident.fullName },
    }
    if (a.can_email && resident.email) {
      await platform.outbox.enqueue(tx, { ...base, channel: 'email', recipient: resident.email })
      sent++
    }
    if (a.can_text && resident.phone && isMobile(resident.phone)) {
      await platform.outbox.enqueue(tx, { ...base, channel: 'sms', recipient: resident.phone })
      sent++
    }
  }

  for (const loan of await repo.loansToRemind(db, daysFrom(today, LOAN_REMINDER_DAYS))) {
    const to = await recipientsOf(loan)
    await db.transaction().execute(async (tx) => {
      const what = { assetTag: loan.asset_tag, kind: loan.kind, dueOn: loan.due_on ?? '' }
      const templates = { staff: 'devices-loan-due', resident: 'devices-loan-due-resident' }
      await tell(tx, to, loan, templates, what, link(loan.device_id))
      await repo.updateAllocation(tx, loan.id, { due_reminded_at: nowIso() })
    })
  }

  for (const sim of await repo.simsToRemind(
    db,
    daysFrom(today, -SIM_REMINDER_DAYS),
    daysFrom(today, SIM_REMINDER_DAYS),
  )) {
    const to = await recipientsOf(sim)
    await db.transaction().execute(async (tx) => {
      const what = { assetTag: sim.asset_tag, network: sim.network ?? '', endsOn: sim.expires_on ?? '' }
      const templates = { staff: 'devices-data-ending', resident: 'devices-data-ending-resident' }
      await tell(tx, to, sim, templates, what, link(sim.device_id))
      await repo.updateAllocation(tx, sim.id, { expiry_reminded_at: nowIso() })
    })
  }

  // Handed over FOLLOW_UP_DAYS ago or more: the handover's time is UTC, so compare with the day after.
  const handedBy = `${daysFrom(today, 1 - FOLLOW_UP_DAYS)}T00:00:00.000Z`
  for (const handover of await repo.followUpsToAsk(db, handedBy)) {
    // Staff ask the follow-up: the resident is not written to.
    const to = await recipientsOf({ allocated_by_user_id: handover.allocated_by_user_id })
    await db.transaction().execute(async (tx) => {
      const what = { assetTag: handover.asset_tag, kind: handover.kind }
      await tell(
        tx,
        to,
        handover,
        { staff: 'devices-follow-up' },
        what,
        `${link(handover.device_id)}/follow-up`,
      )
      await repo.updateAllocation(tx, handover.id, { follow_up_asked_at: nowIso() })
    })
  }
  return sent
}

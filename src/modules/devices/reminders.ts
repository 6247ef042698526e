import { nowIso } from '#platform/clock.ts'
import type { Platform } from '#platform/platform.ts'
import { deviceRepository as repo } from './device.repository.ts'
import { londonToday } from './device.ts'

/** Days ahead a loan's due date and a SIM card's end are reminded. */
export const LOAN_REMINDER_DAYS = 3
export const SIM_REMINDER_DAYS = 14

function daysAhead(today: string, days: number): string {
  const d = new Date(`${today}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/**
 * Tells the member of staff who handed each device out that its loan is nearly due, or that its SIM card's
 * data nearly ends; each once, the message and the mark in one transaction. Answers how many were sent.
 */
export async function sendDeviceReminders(
  platform: Platform,
  staffEmail: (userId: string) => Promise<string | null>,
  today = londonToday(),
): Promise<number> {
  const { db } = platform.database
  const link = (deviceId: string) => `${platform.config.publicUrl}/staff/devices/${deviceId}`
  let sent = 0
  const loans = await repo.loansToRemind(db, daysAhead(today, LOAN_REMINDER_DAYS))
  for (const loan of loans) {
    const email = loan.allocated_by_user_id ? await staffEmail(loan.allocated_by_user_id) : null
    await db.transaction().execute(async (tx) => {
      if (email)
        await platform.outbox.enqueue(tx, {
          channel: 'email',
          template: 'devices-loan-due',
          recipient: email,
          boroughId: loan.borough_id,
          personalisation: {
            assetTag: loan.asset_tag,
            kind: loan.kind,
            dueOn: loan.due_on ?? '',
            link: link(loan.device_id),
          },
        })
      await repo.updateAllocation(tx, loan.id, { due_reminded_at: nowIso() })
    })
    if (email) sent++
  }
  const sims = await repo.simsToRemind(db, daysAhead(today, SIM_REMINDER_DAYS))
  for (const sim of sims) {
    const email = sim.allocated_by_user_id ? await staffEmail(sim.allocated_by_user_id) : null
    await db.transaction().execute(async (tx) => {
      if (email)
        await platform.outbox.enqueue(tx, {
          channel: 'email',
          template: 'devices-data-ending',
          recipient: email,
          boroughId: sim.borough_id,
          personalisation: {
            assetTag: sim.asset_tag,
            network: sim.network ?? '',
            endsOn: sim.expires_on ?? '',
            link: link(sim.device_id),
          },
        })
      await repo.updateAllocation(tx, sim.id, { expiry_reminded_at: nowIso() })
    })
    if (email) sent++
  }
  return sent
}

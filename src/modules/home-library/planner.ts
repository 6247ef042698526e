import { nowIso } from '#platform/clock.ts'
import type { Tx } from '#platform/database.ts'
import { newId } from '#platform/ids.ts'
import type { MemberTable, VisitTable } from './member.repository.ts'
import { pausedOn } from './member.ts'
import { visitDates } from './schedule.ts'
import { visitRepository as visits } from './visit.repository.ts'

/**
 * Plans a member's visits between two dates from their schedule: bank holidays move to the next working
 * day, paused days are skipped, a visit already there for a day is kept. Answers how many were added.
 */
export async function planMember(
  tx: Tx,
  member: MemberTable,
  from: string,
  until: string,
  bankHolidays: ReadonlySet<string>,
): Promise<number> {
  if (member.status === 'left') return 0
  const schedule = {
    deliveryDay: member.delivery_day,
    frequency: member.frequency,
    startsOn: member.starts_on,
  }
  const created = nowIso()
  const rows: VisitTable[] = visitDates(schedule, from, until, bankHolidays)
    .filter((day) => !pausedOn(member, day))
    .map((day) => ({
      id: newId(),
      member_id: member.id,
      borough_id: member.borough_id,
      due_on: day,
      status: 'planned',
      missed_reason: null,
      digital_minutes: 0,
      digital_help: '',
      recorded_by_user_id: null,
      recorded_at: null,
      created_at: created,
    }))
  return visits.insertVisits(tx, rows)
}

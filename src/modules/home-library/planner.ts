import { nowIso } from '#platform/clock.ts'
import type { Tx } from '#platform/database.ts'
import { newId } from '#platform/ids.ts'
import type { MemberTable, VisitTable } from './member.repository.ts'
import { pausedOn } from './member.ts'
import { visitDates } from './schedule.ts'
import { visitRepository as visits } from './visit.repository.ts'

/**
 * A member's visits between two dates from their schedule, as rows: bank holidays move to the next
 * working day, paused days are skipped. None for a member who has left.
 */
export function visitRowsOf(
  member: MemberTable,
  from: string,
  until: string,
  bankHolidays: ReadonlySet<string>,
): VisitTable[] {
  if (member.status === 'left') return []
  const schedule = {
    deliveryDay: member.delivery_day,
    frequency: member.frequency,
    startsOn: member.starts_on,
  }
  const created = nowIso()
  return visitDates(schedule, from, until, bankHolidays)
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
}

/** Plans a member's visits (visitRowsOf); a visit already there for a day is kept. Answers how many were added. */
export function planMember(
  tx: Tx,
  member: MemberTable,
  from: string,
  until: string,
  bankHolidays: ReadonlySet<string>,
): Promise<number> {
  return visits.insertVisits(tx, visitRowsOf(member, from, until, bankHolidays))
}

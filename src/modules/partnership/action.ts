/** Follow-up actions from meetings: their states and when their owners are reminded. */
export const ACTION_STATUSES = ['open', 'in-progress', 'done', 'dropped'] as const
export type ActionStatus = (typeof ACTION_STATUSES)[number]

export function isOpen(status: ActionStatus): boolean {
  return status === 'open' || status === 'in-progress'
}

export const ATTENDANCES = ['attended', 'apologies'] as const
export type Attendance = (typeof ATTENDANCES)[number]

export interface ReminderState {
  status: ActionStatus
  dueOn: string
  remindedBeforeOn: string | null
  remindedAfterOn: string | null
}

/**
 * Which reminder an action is owed on `today`, if any: one `before` within `daysBefore` of its due date,
 * and one `after` once it is `daysAfter` overdue. Each is sent once; a changed due date owes them again.
 */
export function reminderDue(
  a: ReminderState,
  today: string,
  daysBefore: number,
  daysAfter: number,
): 'before' | 'after' | null {
  if (!isOpen(a.status)) return null
  if (today >= shift(a.dueOn, daysAfter) && today > a.dueOn && a.remindedAfterOn !== a.dueOn) return 'after'
  if (today < a.dueOn && today >= shift(a.dueOn, -daysBefore) && a.remindedBeforeOn !== a.dueOn)
    return 'before'
  return null
}

function shift(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

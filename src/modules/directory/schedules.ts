import { newId } from '#platform/ids.ts'
import type { ScheduleTable } from './directory.tables.ts'

/** A weekly time as forms, imports and reference data give it. */
export type WeeklyTime = Pick<ScheduleTable, 'weekday' | 'opens_at' | 'closes_at'>

/** Whose times they are: a service's own, a service's at one place, or a place's opening hours. */
export type ScheduleOwner = Pick<ScheduleTable, 'service_id' | 'service_at_location_id' | 'location_id'>

/** Schedule rows (HSDS weekly) for an owner's times. */
export function weeklyRows(owner: ScheduleOwner, times: readonly WeeklyTime[]): ScheduleTable[] {
  return times.map((t) => ({
    id: newId(),
    ...owner,
    weekday: t.weekday,
    opens_at: t.opens_at,
    closes_at: t.closes_at,
    freq: 'WEEKLY',
    description: null,
    valid_from: null,
    valid_to: null,
  }))
}

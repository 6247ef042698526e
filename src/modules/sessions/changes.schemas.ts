import { z } from 'zod'
import { joinDateInputs } from '#platform/date-input.ts'
import { isDate, isTime } from './recurrence.ts'
import { capacity, checked, optional, required } from './session.schemas.ts'

const E = 'sessions.errors.'

const time = (name: string) => required(`${E}timeMissing`, name, 5).refine(isTime, `${E}rule.time`)

/** A change to a whole series, from now on, with the reason for it. */
export const seriesChangeSchema = z.object({
  title: required(`${E}titleMissing`, 'title', 120),
  locationId: optional('locationId', 40),
  capacity,
  startTime: time('startTime'),
  endTime: time('endTime'),
  facilitatorId: optional('facilitatorId', 40),
  reason: required(`${E}changeReasonMissing`, 'reason', 300),
})

/** The dates asked with the GOV.UK date input on the date change page. */
export const DATE_CHANGE_DATES = ['date'] as const

/** A one-off change to one date, or cancelling it, with the reason; the date comes as day, month, year. */
export const dateChangeSchema = z.preprocess(
  (body) => joinDateInputs(body, DATE_CHANGE_DATES),
  z.object({
    cancel: checked,
    date: required(`${E}dateMissing`, 'date', 10).refine(isDate, `${E}dateMissing`),
    startTime: time('startTime'),
    endTime: time('endTime'),
    locationId: optional('locationId', 40),
    capacity,
    facilitatorId: optional('facilitatorId', 40),
    reason: required(`${E}changeReasonMissing`, 'reason', 300),
  }),
)

import { z } from 'zod'
import { withDateInputs } from '#platform/date-input.ts'
import { cleanText } from '#platform/validation.ts'
import { ACTION_STATUSES, ATTENDANCES } from './action.ts'
import { AGREEMENT_STATUSES, DATA_ITEMS, PARTNER_TYPES, PURPOSES } from './agreement.ts'

/**
 * The partnership's staff forms. Messages are locale keys, translated in the page's language. Dates are asked
 * with GOV.UK date inputs (three fields each), joined before these schemas check them.
 */
const E = 'partnership.errors.'

/** Every date the module's forms ask: an error on one links to its day field. */
export const DATE_FIELDS = ['startsOn', 'reviewOn', 'heldOn', 'nextMeetingOn', 'dueOn'] as const

const text = (max: number, required?: string) =>
  z.preprocess(
    cleanText,
    required
      ? z.string({ error: required }).min(1, required).max(max, `${E}tooLong`)
      : z.string().max(max, `${E}tooLong`).default(''),
  )
/** An answer left empty, or not sent, is null. */
const orNull = (v: unknown) => {
  const cleaned = cleanText(v)
  return cleaned === '' || cleaned === undefined ? null : cleaned
}
const optional = (max: number) => z.preprocess(orNull, z.string().max(max, `${E}tooLong`).nullable())
const day = (error: string) => z.preprocess(cleanText, z.iso.date({ error }))
const optionalDay = (error: string) => z.preprocess(orNull, z.iso.date({ error }).nullable())
/** Checkboxes: none sent is an empty list, one sent is a string. */
const checked = <T extends readonly [string, ...string[]]>(values: T, error: string) =>
  z.preprocess((v) => (v === undefined ? [] : [v].flat()), z.array(z.enum(values, { error })))

export const profileSchema = z.object({
  partnerType: z.enum(PARTNER_TYPES, { error: `${E}partnerType` }),
  boroughs: z.preprocess((v) => (v === undefined ? [] : [v].flat()), z.array(z.string().max(20))),
  charityNumber: optional(20),
  companyNumber: optional(20),
  offers: text(2000),
  needs: text(2000),
})

export const contactSchema = z.object({
  name: text(200, `${E}contactName`),
  role: text(200, `${E}contactRole`),
  email: z.preprocess(orNull, z.email({ error: `${E}email` }).nullable()),
  phone: optional(40),
})

export const agreementSchema = withDateInputs(
  ['startsOn', 'reviewOn'],
  z.object({
    title: text(200, `${E}title`),
    purpose: text(2000, `${E}purpose`),
    purposes: checked(PURPOSES, `${E}purposes`).refine((v) => v.length > 0, `${E}purposes`),
    parties: text(2000, `${E}parties`),
    dataItems: checked(DATA_ITEMS, `${E}dataItems`).refine((v) => v.length > 0, `${E}dataItems`),
    lawfulBasis: text(500, `${E}lawfulBasis`),
    specialCategory: optional(500),
    specialCondition: optional(500),
    rights: text(2000, `${E}rights`),
    retention: text(2000, `${E}retention`),
    security: text(2000, `${E}security`),
    startsOn: day(`${E}startsOn`),
    reviewOn: day(`${E}reviewOn`),
    signedOffBy: optional(200),
    status: z.enum(['draft', 'in-force'], { error: `${E}status` }),
  }),
)

export const agreementStatusSchema = withDateInputs(
  ['reviewOn'],
  z.object({
    to: z.enum(AGREEMENT_STATUSES, { error: `${E}status` }),
    reviewOn: z.preprocess(
      (v) => (cleanText(v) === '' ? undefined : cleanText(v)),
      z.iso.date({ error: `${E}reviewOn` }).optional(),
    ),
    signedOffBy: z.preprocess(
      (v) => (cleanText(v) === '' ? undefined : cleanText(v)),
      z.string().max(200).optional(),
    ),
  }),
)

export const meetingSchema = withDateInputs(
  ['heldOn', 'nextMeetingOn'],
  z.object({
    title: text(200, `${E}meetingTitle`),
    heldOn: day(`${E}heldOn`),
    venue: text(200, `${E}venue`),
    agenda: text(5000),
    nextMeetingOn: optionalDay(`${E}nextMeetingOn`),
  }),
)

export const attendeeSchema = z.object({
  person: text(100, `${E}personMissing`),
  attendance: z.enum(ATTENDANCES, { error: `${E}attendance` }),
})

export const decisionSchema = z.object({ decision: text(2000, `${E}decision`) })

export const minutesSchema = withDateInputs(
  ['nextMeetingOn'],
  z.object({
    minutes: text(20000),
    nextMeetingOn: optionalDay(`${E}nextMeetingOn`),
  }),
)

export const actionSchema = withDateInputs(
  ['dueOn'],
  z.object({
    text: text(2000, `${E}actionText`),
    dueOn: day(`${E}dueOn`),
    isPublic: z.preprocess((v) => v === 'yes', z.boolean()),
    owners: z.preprocess(
      (v) => (v === undefined ? [] : [v].flat()),
      z.array(z.string().max(100)).min(1, `${E}ownerMissing`),
    ),
  }),
)

export const actionUpdateSchema = z.object({
  status: z.enum(ACTION_STATUSES, { error: `${E}actionStatus` }),
  note: text(2000),
})

export const myActionUpdateSchema = actionUpdateSchema.extend({
  action: z.preprocess(cleanText, z.uuid({ error: `${E}actionStatus` })),
})

export const emptySchema = z.object({})

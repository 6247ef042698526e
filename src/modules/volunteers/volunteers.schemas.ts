import { z } from 'zod'
import { linkToDay, withDateInputs } from '#platform/date-input.ts'
import { messageKey } from '#platform/forms.ts'
import { cleanText } from '#platform/validation.ts'
import { CHECK_NEEDS } from './rota.ts'
import { CONSENTS, DBS_LEVELS, LEFT_REASONS, SLOTS, STATUSES } from './volunteer.ts'

/**
 * The module's forms. Messages are locale keys, translated in the page's language. Dates are asked with
 * GOV.UK date inputs (three fields each), joined before these schemas check them.
 */
const E = 'volunteers.errors.'

/** Every date the module's staff forms ask: an error on one links to its day field. */
const DATE_FIELDS = ['issuedOn', 'statusCheckedOn', 'renewsOn', 'completedOn', 'date', 'hours-workedOn']

/** A form sent back: an error on a date links to its day field. */
export function withDayLinks<F extends { errors: { href: string; text: string }[] }>(failure: F): F {
  return { ...failure, errors: linkToDay(failure.errors, DATE_FIELDS) }
}

const text = (max: number, required?: string) =>
  z.preprocess(
    cleanText,
    required
      ? z
          .string({ error: required })
          .min(1, required)
          .max(max, messageKey(`${E}tooLong`, { max }))
      : z
          .string()
          .max(max, messageKey(`${E}tooLong`, { max }))
          .default(''),
  )
const line = (max: number, required: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : v), text(max, required))

/** Checkboxes: none sent is an empty list, one sent is a string. */
const list = (error: string) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : [v].flat()), z.array(z.string({ error })))

const day = (error: string) => z.preprocess(cleanText, z.iso.date({ error }))
const optionalDay = (error: string) =>
  z.preprocess((v) => (cleanText(v) === '' ? undefined : cleanText(v)), z.iso.date({ error }).optional())
const yesNo = (error: string) => z.enum(['yes', 'no'], { error }).transform((v) => v === 'yes')

/** The application's questions, one a page, in order. */
export const APPLY_PAGES = {
  name: z.object({ name: line(200, `${E}name`) }),
  contact: z.object({
    email: line(254, `${E}email`).pipe(z.email(`${E}emailFormat`)),
    phone: line(30, `${E}phone`).refine(
      (v) => /^[0-9+()\s-]+$/.test(v) && /^(\+44|0)[0-9]{9,10}$/.test(v.replace(/[\s()-]/g, '')),
      `${E}phoneFormat`,
    ),
  }),
  availability: z.object({
    slots: list(`${E}availability`)
      .refine((v) => v.length > 0, `${E}availability`)
      .refine((v) => v.every((s) => SLOTS.includes(s)), `${E}availabilityUnknown`)
      .refine((v) => new Set(v).size === v.length, `${E}availabilityUnknown`),
  }),
  languages: z.object({ languages: line(200, `${E}languages`) }),
  skills: z.object({ skills: text(1000, `${E}skills`) }),
  libraries: z.object({ libraries: list(`${E}libraries`).refine((v) => v.length > 0, `${E}libraries`) }),
  referees: z.object({ referees: text(1000, `${E}referees`) }),
  consents: z.object({
    consents: list(`${E}consents`).refine(
      (v) => v.every((c) => (CONSENTS as readonly string[]).includes(c)),
      `${E}consents`,
    ),
  }),
} satisfies Record<string, z.ZodType>

export type ApplyPage = keyof typeof APPLY_PAGES
export const APPLY_ORDER = Object.keys(APPLY_PAGES) as ApplyPage[]

export interface Application {
  name: string
  email: string
  phone: string
  slots: string[]
  languages: string
  skills: string
  libraries: string[]
  referees: string
  consents: string[]
}

export const moveSchema = z
  .object({
    from: z.enum(STATUSES, { error: `${E}to` }),
    to: z.enum(STATUSES, { error: `${E}to` }),
    reason: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.enum(LEFT_REASONS, { error: `${E}reason` }).optional(),
    ),
  })
  .refine((v) => v.to !== 'left' || v.reason, { message: `${E}reason`, path: ['reason'] })

export const checkSchema = withDateInputs(
  ['issuedOn', 'statusCheckedOn', 'renewsOn'],
  z.object({
    level: z.enum(DBS_LEVELS, { error: `${E}level` }),
    barredList: yesNo(`${E}barredList`),
    certificate: z.preprocess(
      (v) => (typeof v === 'string' ? v.replace(/\s+/g, '') : v),
      z.string({ error: `${E}certificate` }).regex(/^\d{12}$/, `${E}certificate`),
    ),
    issuedOn: day(`${E}issuedOn`),
    updateService: yesNo(`${E}updateService`),
    statusCheckedOn: optionalDay(`${E}statusCheckedOn`),
    renewsOn: day(`${E}renewsOn`),
    referencesReceived: z.preprocess(
      cleanText,
      z.coerce
        .number({ error: `${E}references` })
        .int(`${E}references`)
        .min(0, `${E}references`)
        .max(2, `${E}references`),
    ),
  }),
)
export type CheckInput = z.infer<typeof checkSchema>

export const linkSchema = z.object({ account: z.preprocess(cleanText, z.uuid({ error: `${E}account` })) })

const R = 'volunteers.rota.errors.'
const count = (min: number, max: number, error: string) =>
  z.preprocess(cleanText, z.coerce.number({ error }).int(error).min(min, error).max(max, error))
const time = (error: string) =>
  z.preprocess(cleanText, z.string({ error }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, error))
const requirements = {
  places: count(1, 50, `${R}places`),
  checkNeeded: z.enum(CHECK_NEEDS, { error: `${R}checkNeeded` }),
  courses: list(`${R}courses`).refine((v) => v.every((id) => z.uuid().safeParse(id).success), `${R}courses`),
}

export const shiftSchema = withDateInputs(
  ['date'],
  z.object({
    borough: z.preprocess(cleanText, z.uuid({ error: `${R}borough` })),
    title: text(200, `${R}title`),
    place: text(200, `${R}place`),
    date: day(`${R}date`),
    start: time(`${R}start`),
    end: time(`${R}end`),
    ...requirements,
  }),
)
export type ShiftInput = z.infer<typeof shiftSchema>

export const sessionShiftsSchema = z.object({
  session: z.preprocess(cleanText, z.uuid({ error: `${R}session` })),
  ...requirements,
})
export type SessionShiftsInput = z.infer<typeof sessionShiftsSchema>

export const roundShiftsSchema = z
  .object({
    round: z.preprocess(cleanText, z.uuid({ error: `${R}round` })),
    start: time(`${R}start`),
    end: time(`${R}end`),
    weeks: count(1, 12, `${R}weeks`),
    ...requirements,
  })
  .refine((v) => v.end > v.start, { message: `${R}endBeforeStart`, path: ['end'] })
export type RoundShiftsInput = z.infer<typeof roundShiftsSchema>

export const assignSchema = z.object({
  volunteer: z.preprocess(cleanText, z.uuid({ error: `${R}volunteer` })),
})

export const courseSchema = z.object({
  name: text(100, `${R}courseName`),
  validMonths: z.preprocess(
    (v) => (cleanText(v) === '' ? undefined : cleanText(v)),
    z.coerce
      .number({ error: `${R}validMonths` })
      .int(`${R}validMonths`)
      .min(1, `${R}validMonths`)
      .max(120, `${R}validMonths`)
      .optional(),
  ),
})
export type CourseInput = z.infer<typeof courseSchema>

export const trainingSchema = withDateInputs(
  ['completedOn'],
  z.object({
    course: z.preprocess(cleanText, z.uuid({ error: `${R}course` })),
    completedOn: day(`${R}completedOn`),
    evidence: text(500, `${R}evidence`),
  }),
)
export type TrainingInput = z.infer<typeof trainingSchema>

const H = 'volunteers.hours.errors.'
export const ownHoursSchema = withDateInputs(
  ['workedOn'],
  z.object({
    workedOn: day(`${H}workedOn`),
    hours: z.preprocess(
      cleanText,
      z.coerce
        .number({ error: `${H}hours` })
        .min(0.25, `${H}hours`)
        .max(24, `${H}overDay`)
        .refine((v) => Number.isInteger(v * 4), `${H}hours`),
    ),
    place: text(200, `${H}place`),
    what: text(500, `${H}what`),
  }),
)
export type OwnHoursInput = z.infer<typeof ownHoursSchema>

export const decideSchema = z.object({ decision: z.enum(['approve', 'refuse'], { error: `${H}decision` }) })
export const attendedSchema = z.object({
  assignment: z.preprocess(cleanText, z.uuid({ error: `${H}assignment` })),
})

export const ownDetailsSchema = z.object({
  email: APPLY_PAGES.contact.shape.email,
  phone: APPLY_PAGES.contact.shape.phone,
  slots: APPLY_PAGES.availability.shape.slots,
})
export type OwnDetailsInput = z.infer<typeof ownDetailsSchema>

export const leaveSchema = z.object({ reason: z.enum(LEFT_REASONS, { error: `${E}reason` }) })

import { z } from 'zod'
import { cleanText } from '#platform/validation.ts'
import { HOW_TO_GET, LANGUAGES, SERVICE_STATUSES } from './reference-taxonomy.ts'

/** Forms of the directory editors' pages, one schema each, with GOV.UK-style messages. */

const required = (message: string, max = 200) =>
  z.preprocess(
    cleanText,
    z.string({ error: message }).min(1, message).max(max, `Must be ${max} characters or fewer`),
  )

const optional = (max = 500) =>
  z.preprocess((v) => {
    const c = cleanText(v)
    return c === '' || c === undefined ? null : c
  }, z.string().max(max, `Must be ${max} characters or fewer`).nullable())

const optionalUrl = z.preprocess(
  (v) => {
    const c = cleanText(v)
    return c === '' || c === undefined ? null : c
  },
  z
    .string()
    .max(500, 'Web address must be 500 characters or fewer')
    .regex(
      /^https?:\/\/[^\s/$.?#].[^\s]*$/i,
      'Enter a web address in the correct format, like https://www.example.org',
    )
    .nullable(),
)

const optionalEmail = z.preprocess((v) => {
  const c = cleanText(v)
  return c === '' || c === undefined ? null : c
}, z.email('Enter an email address in the correct format, like name@example.com').max(254).nullable())

const optionalAge = (label: string) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? null : cleanText(v)),
    z.coerce
      .number({ error: `${label} must be a number` })
      .int(`${label} must be a whole number`)
      .min(0, `${label} must be 0 or more`)
      .max(120, `${label} must be 120 or less`)
      .nullable(),
  )

/** A checkbox group arrives as a string, an array, or nothing when none is ticked. */
const checked = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().max(100)).max(200),
)

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/

/** Seven optional "from" and "to" pairs, named open1/close1 ... open7/close7 (1 is Monday). */
const weekHours = Object.fromEntries(
  [1, 2, 3, 4, 5, 6, 7].flatMap((d) => [
    [`open${d}`, optional(5)],
    [`close${d}`, optional(5)],
  ]),
) as Record<string, ReturnType<typeof optional>>

function hoursProblems(v: Record<string, unknown>, ctx: z.RefinementCtx) {
  for (let d = 1; d <= 7; d++) {
    const open = v[`open${d}`] as string | null
    const close = v[`close${d}`] as string | null
    if (!open && !close) continue
    if (!open || !TIME.test(open))
      ctx.addIssue({
        code: 'custom',
        path: [`open${d}`],
        message: 'Enter the opening time as 24-hour HH:MM, like 09:30',
      })
    else if (!close || !TIME.test(close))
      ctx.addIssue({
        code: 'custom',
        path: [`close${d}`],
        message: 'Enter the closing time as 24-hour HH:MM, like 17:00',
      })
    else if (close <= open)
      ctx.addIssue({
        code: 'custom',
        path: [`close${d}`],
        message: 'The closing time must be after the opening time',
      })
  }
}

export function hoursFrom(v: Record<string, unknown>) {
  const rows: { weekday: number; opens_at: string; closes_at: string }[] = []
  for (let d = 1; d <= 7; d++) {
    const open = v[`open${d}`] as string | null
    const close = v[`close${d}`] as string | null
    if (open && close) rows.push({ weekday: d, opens_at: open, closes_at: close })
  }
  return rows
}

export const serviceSchema = z
  .object({
    name: required('Enter the name of the service'),
    description: required('Enter a description of the service', 2000),
    organisation: required('Choose the organisation that runs it', 100),
    borough: z.preprocess(cleanText, z.string().max(100)).optional().default(''),
    who_for: optional(500),
    eligibility: optional(1000),
    cost: optional(200),
    is_free: z.preprocess((v) => v === 'yes', z.boolean()),
    how_to_get: z.enum(HOW_TO_GET, { error: 'Choose how people get the service' }),
    how_to_get_details: optional(1000),
    url: optionalUrl,
    email: optionalEmail,
    phone: optional(40),
    owner_email: optionalEmail,
    status: z.enum(SERVICE_STATUSES, { error: 'Choose the status of the service' }),
    alert: optional(500),
    minimum_age: optionalAge('Minimum age'),
    maximum_age: optionalAge('Maximum age'),
    needs: checked,
    languages: checked.refine((l) => l.every((c) => c in LANGUAGES), 'Choose languages from the list'),
    places: checked,
    checked: z.preprocess((v) => v === 'yes', z.boolean()),
    ...weekHours,
  })
  .superRefine((v, ctx) => {
    if (v.minimum_age !== null && v.maximum_age !== null && v.maximum_age < v.minimum_age)
      ctx.addIssue({
        code: 'custom',
        path: ['maximum_age'],
        message: 'Maximum age must be the same as or more than the minimum age',
      })
    hoursProblems(v, ctx)
  })

export type ServiceForm = z.infer<typeof serviceSchema>

/** A service's times at one of its places: the same seven days; all empty means none of its own. */
export const placeTimesSchema = z.object(weekHours).superRefine(hoursProblems)

export type PlaceTimesForm = z.infer<typeof placeTimesSchema>

const coordinate = (label: string, min: number, max: number) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? null : cleanText(v)),
    z.coerce
      .number({ error: `${label} must be a number` })
      .min(min, `${label} must be between ${min} and ${max}`)
      .max(max, `${label} must be between ${min} and ${max}`)
      .nullable(),
  )

export const placeSchema = z
  .object({
    name: required('Enter the name of the place'),
    description: optional(1000),
    borough: required('Choose the borough the place is in', 100),
    address_1: required('Enter the first line of the address'),
    address_2: optional(200),
    postcode: required('Enter the postcode', 10).refine(
      (v) => /^[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}$/i.test(v),
      'Enter a full postcode, like W10 5PF',
    ),
    latitude: coordinate('Latitude', 49, 61),
    longitude: coordinate('Longitude', -9, 2),
    how_to_get_there: optional(1000),
    phone: optional(40),
    email: optionalEmail,
    public_computers: optionalAge('Number of public computers'),
    features: checked,
    checked: z.preprocess((v) => v === 'yes', z.boolean()),
    ...weekHours,
  })
  .superRefine(hoursProblems)

export type PlaceForm = z.infer<typeof placeSchema>

export const exceptionSchema = z
  .object({
    date: z.preprocess(cleanText, z.iso.date('Enter the date as a real date, like 24 12 2026')),
    closed: z.enum(['yes', 'no'], { error: 'Say whether the place is closed all day' }),
    opens_at: optional(5),
    closes_at: optional(5),
    reason: required('Enter the reason, like Christmas Eve', 100),
  })
  .superRefine((v, ctx) => {
    if (v.closed === 'yes') return
    if (!v.opens_at || !TIME.test(v.opens_at))
      ctx.addIssue({ code: 'custom', path: ['opens_at'], message: 'Enter the opening time as 24-hour HH:MM' })
    else if (!v.closes_at || !TIME.test(v.closes_at) || v.closes_at <= v.opens_at)
      ctx.addIssue({
        code: 'custom',
        path: ['closes_at'],
        message: 'Enter a closing time after the opening time',
      })
  })

export type ExceptionForm = z.infer<typeof exceptionSchema>

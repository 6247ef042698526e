import { z } from 'zod'
import { messageKey } from '#platform/forms.ts'
import { cleanText } from '#platform/validation.ts'
import { HOW_TO_GET, LANGUAGES, SERVICE_STATUSES } from './reference-taxonomy.ts'

/**
 * Forms of the directory editors' pages, one schema each, with GOV.UK-style messages: keys of this
 * module's locales/en.json, put into words where a page shows them.
 */
const E = 'directoryAdmin.errors.'
const L = 'directoryAdmin.labels.'

/** "Name must be 200 characters or fewer": `name` is the field's key in `directoryAdmin.labels`. */
const tooLong = (name: string, max: number) => messageKey(`${E}tooLong`, { label: `${L}${name}`, max })

const required = (message: string, name: string, max = 200) =>
  z.preprocess(cleanText, z.string({ error: message }).min(1, message).max(max, tooLong(name, max)))

const optional = (name: string, max = 500) =>
  z.preprocess((v) => {
    const c = cleanText(v)
    return c === '' || c === undefined ? null : c
  }, z.string().max(max, tooLong(name, max)).nullable())

const optionalUrl = z.preprocess(
  (v) => {
    const c = cleanText(v)
    return c === '' || c === undefined ? null : c
  },
  z
    .string()
    .max(500, `${E}urlTooLong`)
    .regex(/^https?:\/\/[^\s/$.?#].[^\s]*$/i, `${E}urlFormat`)
    .nullable(),
)

const optionalEmail = z.preprocess((v) => {
  const c = cleanText(v)
  return c === '' || c === undefined ? null : c
}, z.email(`${E}emailFormat`).max(254).nullable())

const optionalAge = (name: string) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? null : cleanText(v)),
    z.coerce
      .number({ error: messageKey(`${E}number`, { label: `${L}${name}` }) })
      .int(messageKey(`${E}wholeNumber`, { label: `${L}${name}` }))
      .min(0, messageKey(`${E}notNegative`, { label: `${L}${name}` }))
      .max(120, messageKey(`${E}atMost120`, { label: `${L}${name}` }))
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
    [`open${d}`, optional('opensAt', 5)],
    [`close${d}`, optional('closesAt', 5)],
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
        message: `${E}openingTime`,
      })
    else if (!close || !TIME.test(close))
      ctx.addIssue({
        code: 'custom',
        path: [`close${d}`],
        message: `${E}closingTime`,
      })
    else if (close <= open)
      ctx.addIssue({
        code: 'custom',
        path: [`close${d}`],
        message: `${E}closingAfterOpening`,
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

/** In the order of the page's fields, so the error summary follows the page. */
export const serviceSchema = z
  .object({
    name: required(`${E}serviceName`, 'name'),
    description: required(`${E}serviceDescription`, 'description', 2000),
    organisation: required(`${E}organisation`, 'organisation', 100),
    borough: z.preprocess(cleanText, z.string().max(100)).optional().default(''),
    who_for: optional('whoFor', 500),
    eligibility: optional('eligibility', 1000),
    cost: optional('cost', 200),
    is_free: z.preprocess((v) => v === 'yes', z.boolean()),
    how_to_get: z.enum(HOW_TO_GET, { error: `${E}howToGet` }),
    how_to_get_details: optional('howToGetDetails', 1000),
    minimum_age: optionalAge('minimumAge'),
    maximum_age: optionalAge('maximumAge'),
    needs: checked,
    languages: checked.refine((l) => l.every((c) => c in LANGUAGES), `${E}languages`),
    places: checked,
    ...weekHours,
    url: optionalUrl,
    email: optionalEmail,
    phone: optional('phone', 40),
    owner_email: optionalEmail,
    alert: optional('alert', 500),
    status: z.enum(SERVICE_STATUSES, { error: `${E}status` }),
    checked: z.preprocess((v) => v === 'yes', z.boolean()),
  })
  .superRefine((v, ctx) => {
    if (v.minimum_age !== null && v.maximum_age !== null && v.maximum_age < v.minimum_age)
      ctx.addIssue({
        code: 'custom',
        path: ['maximum_age'],
        message: `${E}ageOrder`,
      })
    hoursProblems(v, ctx)
  })

export type ServiceForm = z.infer<typeof serviceSchema>

/** A service's times at one of its places: the same seven days; all empty means none of its own. */
export const placeTimesSchema = z.object(weekHours).superRefine(hoursProblems)

export type PlaceTimesForm = z.infer<typeof placeTimesSchema>

const coordinate = (name: string, min: number, max: number) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? null : cleanText(v)),
    z.coerce
      .number({ error: messageKey(`${E}number`, { label: `${L}${name}` }) })
      .min(min, messageKey(`${E}between`, { label: `${L}${name}`, min, max }))
      .max(max, messageKey(`${E}between`, { label: `${L}${name}`, min, max }))
      .nullable(),
  )

export const placeSchema = z
  .object({
    name: required(`${E}placeName`, 'name'),
    description: optional('description', 1000),
    borough: required(`${E}placeBorough`, 'borough', 100),
    address_1: required(`${E}address`, 'address1'),
    address_2: optional('address2', 200),
    postcode: required(`${E}postcode`, 'postcode', 10).refine(
      (v) => /^[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}$/i.test(v),
      `${E}postcodeFormat`,
    ),
    latitude: coordinate('latitude', 49, 61),
    longitude: coordinate('longitude', -9, 2),
    how_to_get_there: optional('howToGetThere', 1000),
    phone: optional('phone', 40),
    email: optionalEmail,
    public_computers: optionalAge('publicComputers'),
    features: checked,
    checked: z.preprocess((v) => v === 'yes', z.boolean()),
    ...weekHours,
  })
  .superRefine(hoursProblems)

export type PlaceForm = z.infer<typeof placeSchema>

export const exceptionSchema = z
  .object({
    date: z.preprocess(cleanText, z.iso.date(`${E}date`)),
    closed: z.enum(['yes', 'no'], { error: `${E}closed` }),
    opens_at: optional('opensAt', 5),
    closes_at: optional('closesAt', 5),
    reason: required(`${E}reason`, 'reason', 100),
  })
  .superRefine((v, ctx) => {
    if (v.closed === 'yes') return
    if (!v.opens_at || !TIME.test(v.opens_at))
      ctx.addIssue({ code: 'custom', path: ['opens_at'], message: `${E}exceptionOpening` })
    else if (!v.closes_at || !TIME.test(v.closes_at) || v.closes_at <= v.opens_at)
      ctx.addIssue({
        code: 'custom',
        path: ['closes_at'],
        message: `${E}exceptionClosing`,
      })
  })

export type ExceptionForm = z.infer<typeof exceptionSchema>

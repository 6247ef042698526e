import { z } from 'zod'
import { withDateInputs } from '#platform/date-input.ts'
import { messageKey } from '#platform/forms.ts'
import { cleanText } from '#platform/validation.ts'
import { HANDOVER_ITEMS } from '../devices/index.ts'
import {
  BASES,
  COMMUNICATION_NEEDS,
  DAY_PARTS,
  FORMATS,
  FREQUENCIES,
  ITEMS_CEILING,
  LEFT_REASONS,
  MISSED_REASONS,
  STATUSES,
} from './member.ts'

/**
 * Staff forms of the Home Library. Messages are locale keys, translated in the page's language. Dates are
 * asked with GOV.UK date inputs (three fields each), joined before these schemas check them.
 */
const E = 'homeLibrary.errors.'

/** Every date the module's forms ask: an error on one links to its day field. */
export const DATE_FIELDS = ['reviewOn', 'startsOn', 'day', 'dueOn', 'pausedUntil'] as const

/** `name`'s words are in `homeLibrary.fields`: "Full name must be 200 characters or fewer". */
const text = (name: string, max: number, required?: string) => {
  const tooLong = messageKey(`${E}tooLong`, { label: `homeLibrary.fields.${name}`, max })
  return z.preprocess(
    cleanText,
    required
      ? z.string({ error: required }).min(1, required).max(max, tooLong)
      : z.string().max(max, tooLong).default(''),
  )
}

const day = (error: string) => z.preprocess(cleanText, z.iso.date({ error }))
const optionalDay = (error: string) =>
  z.preprocess((v) => (cleanText(v) === '' ? undefined : cleanText(v)), z.iso.date({ error }).optional())

/** Checkboxes: none sent is an empty list, one sent is a string. */
const checked = <T extends readonly [string, ...string[]]>(values: T, error: string) =>
  z.preprocess((v) => (v === undefined ? [] : [v].flat()), z.array(z.enum(values, { error })))

const int = (min: number, max: number, error: string) =>
  z.preprocess(cleanText, z.coerce.number({ error }).int(error).min(min, error).max(max, error))

const uuid = (error: string) => z.preprocess(cleanText, z.uuid({ error }))

const memberFields = z.object({
  basis: z.enum(BASES, { error: `${E}basis` }),
  evidence: text('evidence', 1000, `${E}evidence`),
  reviewOn: optionalDay(`${E}reviewOn`),
  deliveryDay: int(1, 5, `${E}deliveryDay`),
  dayPart: z.enum(DAY_PARTS, { error: `${E}dayPart` }),
  frequency: z.enum(FREQUENCIES, { error: `${E}frequency` }),
  startsOn: day(`${E}startsOn`),
  maxItems: int(1, ITEMS_CEILING, `${E}maxItems`),
  formats: checked(FORMATS, `${E}formats`).refine((f) => f.length > 0, `${E}formats`),
  likes: text('likes', 1000),
  dislikes: text('dislikes', 1000),
  accessNotes: text('accessNotes', 1000),
  emergencyContact: text('emergencyContact', 500),
  communication: checked(COMMUNICATION_NEEDS, `${E}communication`),
  digitalSupport: z.enum(['yes', 'no'], { error: `${E}digitalSupport` }),
})
export const memberSchema = withDateInputs(['reviewOn', 'startsOn'], memberFields)
export type MemberInput = z.infer<typeof memberSchema>

/** Someone added by staff, not from a referral: their person record is made with them. */
export const newMemberSchema = withDateInputs(
  ['reviewOn', 'startsOn'],
  memberFields.extend({
    name: text('name', 200, `${E}name`),
    borough: uuid(`${E}borough`),
    phone: text('phone', 40),
    postcode: text('postcode', 10),
  }),
)
export type NewMemberInput = z.infer<typeof newMemberSchema>

export const statusSchema = withDateInputs(
  ['pausedUntil'],
  z
    .object({
      status: z.enum(STATUSES, { error: `${E}status` }),
      pausedUntil: optionalDay(`${E}pausedUntil`),
      leftReason: z.preprocess((v) => (v === '' ? undefined : v), z.enum(LEFT_REASONS).optional()),
    })
    .refine((s) => s.status !== 'left' || s.leftReason, { message: `${E}leftReason`, path: ['leftReason'] }),
)
export type StatusInput = z.infer<typeof statusSchema>

export const roundSchema = z.object({
  borough: uuid(`${E}borough`),
  name: text('roundName', 100, `${E}roundName`),
  library: text('library', 100, `${E}library`),
  weekday: int(1, 5, `${E}weekday`),
  deliverer: uuid(`${E}deliverer`),
})
export type RoundInput = z.infer<typeof roundSchema>

export const stopSchema = z.object({ member: uuid(`${E}member`) })
export const moveSchema = z.object({ direction: z.enum(['up', 'down', 'remove'], { error: `${E}move` }) })
export const extraVisitSchema = withDateInputs(['day'], z.object({ day: day(`${E}visitDay`) }))
export const planSchema = z.object({ weeks: int(1, 12, `${E}weeks`) })

/** Up to this many rows of items on the visit page: the member's own limit is checked by the service. */
export const ITEM_ROWS = ITEMS_CEILING + 2

const itemRows = Object.fromEntries(
  Array.from({ length: ITEM_ROWS }, (_, i) => i + 1).flatMap((n) => [
    [`title${n}`, text('title', 200)],
    [`author${n}`, text('author', 200)],
    [`format${n}`, z.preprocess((v) => (v === '' ? undefined : v), z.enum(FORMATS).optional())],
    [`identifier${n}`, text('identifier', 50)],
  ]),
) as Record<string, z.ZodType<string | undefined>>

export const visitSchema = z
  .object({
    outcome: z.enum(['done', 'missed'], { error: `${E}outcome` }),
    missedReason: z.preprocess((v) => (v === '' ? undefined : v), z.enum(MISSED_REASONS).optional()),
    collected: z.preprocess((v) => (v === undefined ? [] : [v].flat()), z.array(z.uuid())),
    digitalMinutes: z.preprocess(
      (v) => (v === undefined || cleanText(v) === '' ? 0 : v),
      int(0, 480, `${E}digitalMinutes`),
    ),
    digitalHelp: text('digitalHelp', 500),
    sendAgain: z.preprocess((v) => v === 'yes', z.boolean()),
    ...itemRows,
  })
  .refine((v) => v.outcome !== 'missed' || v.missedReason, {
    message: `${E}missedReason`,
    path: ['missedReason'],
  })

export interface ItemInput {
  title: string
  author: string
  format: (typeof FORMATS)[number]
  identifier: string
}

/** The rows of items filled in, in order; a row with a title but no author or format is refused. */
export function itemsFrom(data: Record<string, unknown>): { items: ItemInput[]; problem?: string } {
  const items: ItemInput[] = []
  for (let n = 1; n <= ITEM_ROWS; n++) {
    const title = String(data[`title${n}`] ?? '')
    const author = String(data[`author${n}`] ?? '')
    const format = data[`format${n}`] as ItemInput['format'] | undefined
    if (!title && !author) continue
    if (!title || !format) return { items, problem: `title${n}` }
    items.push({ title, author, format, identifier: String(data[`identifier${n}`] ?? '') })
  }
  return { items }
}

/** A tablet lent is a loan: its asset tag, due date and the member's agreement, as at the devices desk. */
export const deviceHelpSchema = withDateInputs(
  ['dueOn'],
  z
    .object({
      kind: z.enum(['lent-tablet', 'own-device'], { error: `${E}deviceKind` }),
      device: text('device', 200, `${E}device`),
      help: text('help', 500, `${E}help`),
      dueOn: optionalDay(`${E}dueOn`),
      agreedName: text('agreedName', 200),
      items: checked(HANDOVER_ITEMS, `${E}handoverItems`),
    })
    .refine((v) => v.kind !== 'lent-tablet' || v.dueOn, { message: `${E}dueOnMissing`, path: ['dueOn'] })
    .refine((v) => v.kind !== 'lent-tablet' || v.agreedName, {
      message: `${E}agreedName`,
      path: ['agreedName'],
    }),
)
export type DeviceHelpInput = z.infer<typeof deviceHelpSchema>

export const DEPOSIT_KINDS = ['hospital', 'transport', 'care-home'] as const

export const depositSchema = z.object({
  borough: uuid(`${E}borough`),
  site: text('site', 200, `${E}site`),
  kind: z.enum(DEPOSIT_KINDS, { error: `${E}depositKind` }),
  itemsPlaced: int(1, 2000, `${E}itemsPlaced`),
  refreshWeeks: int(1, 52, `${E}refreshWeeks`),
})
export type DepositInput = z.infer<typeof depositSchema>

export const refreshSchema = z.object({ itemsPlaced: int(1, 2000, `${E}itemsPlaced`) })

import { z } from 'zod'
import { messageKey } from '#platform/forms.ts'
import { cleanText } from '#platform/validation.ts'
import { withDateInputs } from './device.dates.ts'
import {
  CONDITIONS,
  DEVICE_KINDS,
  DEVICE_STATES,
  HANDOVER_ITEMS,
  REMIND_BY,
  SOURCES,
  USES,
  USING_IT,
} from './device.ts'

/** Messages are keys of this module's locales/en.json, put into the page's language by postForm. */
const E = 'devices.errors.'

const oneLine = (v: unknown) => {
  const c = cleanText(v)
  return typeof c === 'string' ? c.replace(/\s+/g, ' ') : c
}
/** "Make and model must be 200 characters or fewer": each field's name is in `devices.fields`. */
const tooLong = (name: string, max: number) =>
  messageKey(`${E}tooLong`, { label: `devices.fields.${name}`, max })
const required = (key: string, max = 200) =>
  z.preprocess(
    oneLine,
    z
      .string({ error: `${E}${key}` })
      .min(1, `${E}${key}`)
      .max(max, tooLong(key, max)),
  )
const optional = (name: string, max = 200) =>
  z.preprocess((v) => (v === undefined ? '' : oneLine(v)), z.string().max(max, tooLong(name, max)))
const date = (key: string) => z.preprocess(oneLine, z.iso.date(`${E}${key}`))
const optionalDate = (key: string) =>
  z.preprocess((v) => (v === undefined ? '' : oneLine(v)), z.union([z.literal(''), z.iso.date(`${E}${key}`)]))
/** Checkboxes: none ticked sends nothing, one sends a string, several a list. */
const ticked = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.enum(values, { error: `${E}choice` })),
  )

/** Each form's dates, asked as GOV.UK date inputs (day, month, year). */
export const DATES = {
  donation: ['receivedOn'],
  device: ['activatedOn', 'expiresOn'],
  wipe: ['wipedOn'],
  retire: ['disposedOn'],
  allocate: ['dueOn'],
  figures: ['since'],
} as const

export const donationSchema = withDateInputs(
  DATES.donation,
  z.object({
    library: z.uuid(`${E}library`),
    donorKind: z.enum(['organisation', 'person'], { error: `${E}donorKind` }),
    donorName: required('donorName'),
    donorEmail: z.preprocess(
      (v) => (v === undefined ? '' : oneLine(v)),
      z.union([z.literal(''), z.email(`${E}email`)]),
    ),
    receivedOn: date('receivedOn'),
    description: required('description', 2000),
  }),
)

export const deviceSchema = withDateInputs(
  DATES.device,
  z.object({
    kind: z.enum(DEVICE_KINDS, { error: `${E}kind` }),
    makeModel: required('makeModel'),
    serial: optional('serial', 100),
    identifier: optional('identifier', 30),
    source: z.enum(SOURCES, { error: `${E}source` }),
    donation: optional('donation', 40),
    condition: z.enum(CONDITIONS, { error: `${E}condition` }),
    library: z.uuid(`${E}library`),
    network: optional('network', 100),
    allowance: optional('allowance', 100),
    activatedOn: optionalDate('date'),
    expiresOn: optionalDate('date'),
    voucherCode: optional('voucherCode', 100),
  }),
)

export const wipeSchema = withDateInputs(
  DATES.wipe,
  z.object({
    method: required('method'),
    standard: required('standard'),
    tool: required('tool'),
    wipedBy: required('wipedBy'),
    wipedOn: date('wipedOn'),
    certificateRef: required('certificateRef'),
  }),
)

export const disposalSchema = withDateInputs(
  DATES.retire,
  z.object({
    outcome: z.enum(['recycled', 'destroyed'], { error: `${E}disposalOutcome` }),
    recycler: required('recycler'),
    certificateRef: required('certificateRef'),
    disposedOn: date('disposedOn'),
  }),
)

export const allocationSchema = withDateInputs(
  DATES.allocate,
  z.object({
    kind: z.enum(['loan', 'gift'], { error: `${E}allocationKind` }),
    dueOn: optionalDate('dueOn'),
    via: z.enum(['referral', 'desk'], { error: `${E}via` }),
    reference: optional('reference', 20),
    personName: optional('personName', 200),
    phone: optional('phone', 30),
  }),
).superRefine((v, ctx) => {
  if (v.via === 'referral' && !v.reference)
    ctx.addIssue({ code: 'custom', path: ['reference'], message: `${E}referenceMissing` })
  if (v.via === 'desk' && !v.personName)
    ctx.addIssue({ code: 'custom', path: ['personName'], message: `${E}personName` })
  if (v.kind === 'loan' && !v.dueOn)
    ctx.addIssue({ code: 'custom', path: ['dueOn'], message: `${E}dueMissing` })
})

export const handoverSchema = z.object({
  agreedName: required('agreedName'),
  accepted: z.literal('yes', { error: `${E}accepted` }),
  items: ticked(HANDOVER_ITEMS),
  remindBy: ticked(REMIND_BY),
})

/** Whether the resident uses what they were given, and what for: the follow-up's answers. */
export const followUpSchema = z.object({
  usingIt: z.enum(USING_IT, { error: `${E}usingIt` }),
  uses: ticked(USES),
})

export const returnSchema = z.object({
  condition: z.enum(CONDITIONS, { error: `${E}condition` }),
  items: ticked(HANDOVER_ITEMS),
})

/** Nothing to fill in: a button. */
export const emptySchema = z.object({})

/** The stock list's filters: links, so a bad value is dropped rather than refused. */
export const stockFilterSchema = z.object({
  kind: z.enum(DEVICE_KINDS).optional().catch(undefined),
  status: z.enum(DEVICE_STATES).optional().catch(undefined),
  library: z.uuid().optional().catch(undefined),
  tag: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,40}$/)
    .optional()
    .catch(undefined),
  // No page in the address is page 1 at once, not a failed number check caught on every list shown.
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
})

/** The figures' first day, a date input in the page's address: a link, so a missing date means the default. */
export const figuresSinceSchema = withDateInputs(
  DATES.figures,
  z.object({ since: z.union([z.literal(''), z.iso.date(`${E}since`)]).optional() }),
)

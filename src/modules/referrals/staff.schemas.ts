import { z } from 'zod'
import { optionalText, requiredLine, requiredText } from './refer.schemas.ts'
import { NEED_KINDS, NEED_STATES, OUTCOMES } from './referral.ts'

/** Messages are keys of this module's locales/en.json. */
const E = 'triage.errors.'
/** The fields' names, for a length error to say which answer is too long. */
const F = 'triage.field.'

/** The triage queue's filters: links, so a bad value is dropped rather than refused. */
export const queueFilterSchema = z.object({
  status: z.enum(NEED_STATES).optional().catch(undefined),
  need: z.enum(NEED_KINDS).optional().catch(undefined),
  borough: z
    .string()
    .regex(/^[a-z0-9-]{1,20}$/)
    .optional()
    .catch(undefined),
  days: z.coerce.number().int().min(1).max(3650).optional().catch(undefined),
  officer: z
    .union([z.literal('me'), z.literal('none'), z.uuid()])
    .optional()
    .catch(undefined),
  stale: z.literal('1').optional().catch(undefined),
  // No page asked for is page 1 at once: through `catch` alone zod builds an error first, on every queue view.
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
})

/** Search by reference, name or postcode: sent by POST, so personal data stays out of URLs. */
export const searchSchema = z.object({
  q: requiredLine(`${E}search`, `${F}search`, 100),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
})

export const needChangeSchema = z.object({
  to: z.enum(NEED_STATES, { error: `${E}next` }),
  outcome: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(OUTCOMES, { error: `${E}outcome` }).optional(),
  ),
  reason: optionalText(`${F}reason`, 1000),
  signposting: optionalText(`${F}signposting`, 1000),
  note: optionalText(`${F}internalNote`, 2000),
})

export const CONTACT_ATTEMPT_METHODS = [
  'phone',
  'text',
  'email',
  'letter',
  'in-person',
  'support-worker',
] as const
export const CONTACT_ATTEMPT_RESULTS = [
  'spoke',
  'no-answer',
  'voicemail',
  'wrong-number',
  'message-sent',
] as const

export const contactAttemptSchema = z.object({
  method: z.enum(CONTACT_ATTEMPT_METHODS, { error: `${E}method` }),
  result: z.enum(CONTACT_ATTEMPT_RESULTS, { error: `${E}result` }),
  note: optionalText(`${F}note`, 2000),
})

export const noteSchema = z.object({ note: requiredText(`${E}note`, `${F}note`, 5000) })

/** `me`, `none`, or an officer's account id: the service checks the officer may take this case. */
export const assignSchema = z.object({
  to: z.union([z.literal('me'), z.literal('none'), z.uuid({ error: `${E}officer` })], {
    error: `${E}officer`,
  }),
})

export const transferSchema = z.object({
  borough: requiredLine(`${E}borough`, `${F}borough`, 20),
  reason: requiredText(`${E}reason`, `${F}transferReason`, 1000),
})

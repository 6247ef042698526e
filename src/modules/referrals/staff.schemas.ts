import { z } from 'zod'
import { optionalText, requiredLine, requiredText } from './refer.schemas.ts'
import { NEED_KINDS, NEED_STATES, OUTCOMES } from './referral.ts'

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
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
})

/** Search by reference, name or postcode: sent by POST, so personal data stays out of URLs. */
export const searchSchema = z.object({
  q: requiredLine('Enter a reference, name or postcode', 100),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
})

export const needChangeSchema = z.object({
  to: z.enum(NEED_STATES, { error: 'Select what happens next' }),
  outcome: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(OUTCOMES, { error: 'Select an outcome' }).optional(),
  ),
  reason: optionalText(1000),
  signposting: optionalText(1000),
  note: optionalText(2000),
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
  method: z.enum(CONTACT_ATTEMPT_METHODS, { error: 'Select how you tried to contact them' }),
  result: z.enum(CONTACT_ATTEMPT_RESULTS, { error: 'Select what happened' }),
  note: optionalText(2000),
})

export const noteSchema = z.object({ note: requiredText('Enter a note', 5000) })

/** `me`, `none`, or an officer's account id: the service checks the officer may take this case. */
export const assignSchema = z.object({
  to: z.union([z.literal('me'), z.literal('none'), z.uuid({ error: 'Select an officer' })], {
    error: 'Select an officer',
  }),
})

export const transferSchema = z.object({
  borough: requiredLine('Select the borough to transfer to', 20),
  reason: requiredText('Enter why you are transferring the case', 1000),
})

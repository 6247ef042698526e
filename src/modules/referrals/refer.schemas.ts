import { z } from 'zod'
import { messageKey } from '#platform/forms.ts'
import { cleanText } from '#platform/validation.ts'
import { isMobile, phoneKey } from '../people/index.ts'
import { NEED_KINDS } from './referral.ts'

/**
 * The referral's questions and their rules, shared by the pages of /refer and the partner API, so a
 * referral is held to the same rules however it arrives. Messages are keys of this module's
 * locales/en.json (see `messageKey`), put into words where they are shown.
 */

const E = 'refer.error.'
const F = 'refer.field.'
/** "Your name must be 200 characters or fewer": `label` is the locale key of the field's name. */
const tooLong = (label: string, max: number) => messageKey(`${E}tooLong`, { label, max })

/** One line of text: control characters and line breaks out, spaces trimmed. */
const oneLine = (v: unknown) => {
  const c = cleanText(v)
  return typeof c === 'string' ? c.replace(/[\r\n\t]+/g, ' ') : c
}

/** Each answer's rules name the field (a locale key), so a length error says which answer is too long. */
export const requiredLine = (message: string, label: string, max = 200) =>
  z.preprocess(oneLine, z.string({ error: message }).min(1, message).max(max, tooLong(label, max)))

export const optionalLine = (label: string, max = 200) =>
  z.preprocess((v) => (v === undefined ? '' : oneLine(v)), z.string().max(max, tooLong(label, max)))

export const optionalText = (label: string, max = 1000) =>
  z.preprocess((v) => (v === undefined ? '' : cleanText(v)), z.string().max(max, tooLong(label, max)))

export const requiredText = (message: string, label: string, max = 1000) =>
  z.preprocess(cleanText, z.string({ error: message }).min(1, message).max(max, tooLong(label, max)))

export const phone = (message: string, label: string) =>
  requiredLine(message, label, 30).refine((v) => {
    const key = phoneKey(v)
    return /^[0-9+()\s-]+$/.test(v) && key !== null && /^0[0-9]{9,10}$/.test(key)
  }, `${E}phoneFormat`)

export const email = (message: string, label: string) =>
  requiredLine(message, label, 254).pipe(z.email(`${E}emailFormat`))

export const postcode = requiredLine(`${E}postcodeRequired`, 'refer.address.postcode', 10).refine(
  (v) => /^[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}$/i.test(v.replace(/\s+/g, ' ')),
  `${E}postcodeFormat`,
)

/** A date of birth as YYYY-MM-DD: a real date, in the past, after 1900. */
export const dateOfBirth = z.iso
  .date(`${E}dobReal`)
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`)
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v
  }, `${E}dobReal`)
  .refine((v) => v < new Date().toISOString().slice(0, 10), `${E}dobPast`)
  .refine((v) => v >= '1900-01-01', `${E}dobTooOld`)

/** A checkbox group arrives as a string, an array, or nothing when none is ticked. */
export const checked = <T extends readonly [string, ...string[]]>(values: T, message?: string) => {
  const list = z.array(z.enum(values, { error: message ?? `${E}choose` }))
  return z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    message ? list.min(1, message) : list,
  )
}

export const CONTACT_METHODS = ['phone', 'email', 'post', 'support-worker', 'library'] as const
export const SAFE_CHANNELS = ['voicemail', 'text', 'post'] as const
export const DEVICE_TYPES = ['laptop', 'tablet', 'phone', 'not-sure'] as const
export const CONNECTIVITY = ['sim', 'data', 'not-sure'] as const
export const SKILLS_WAYS = ['one-to-one', 'drop-in', 'course'] as const
export const SKILLS_GOALS = [
  'video-calls',
  'nhs-app',
  'universal-credit',
  'job-search',
  'online-banking',
  'email',
  'shopping',
  'staying-safe',
  'something-else',
] as const
export const HOME_LIBRARY_REASONS = ['housebound', 'carer', 'temporary-mobility', 'none'] as const
export const REPORTING_QUESTIONS = [
  'over60',
  'disabled',
  'lowIncome',
  'unemployed',
  'homeless',
  'learningEnglish',
] as const
export const REPORTING_ANSWERS = ['yes', 'no', 'prefer-not-to-say'] as const

export const needSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('device'), deviceType: z.enum(DEVICE_TYPES, { error: `${E}deviceType` }) }),
    z.object({
      kind: z.literal('connectivity'),
      option: z.enum(CONNECTIVITY, { error: `${E}connectivity` }),
    }),
    z.object({
      kind: z.literal('skills'),
      ways: checked(SKILLS_WAYS, `${E}skillsWays`),
      goals: checked(SKILLS_GOALS, `${E}skillsGoals`),
      goalOther: optionalLine(`${F}goalOther`, 300),
    }),
    z.object({
      kind: z.literal('home-library'),
      reason: z.enum(HOME_LIBRARY_REASONS, { error: `${E}hlsReason` }),
      interests: optionalText(`${F}interests`, 1000),
    }),
    z.object({
      kind: z.literal('other'),
      description: requiredText(`${E}otherRequired`, `${F}otherHelp`, 1000),
    }),
  ],
  { error: `${E}needs` },
)
export type NeedInput = z.infer<typeof needSchema>

export const referrerSchema = z
  .object({
    name: requiredLine(`${E}referrerName`, 'refer.referrer.name'),
    organisation: requiredLine(`${E}referrerOrganisation`, 'refer.referrer.organisation'),
    role: requiredLine(`${E}referrerRole`, 'refer.referrer.role'),
    email: z.union([z.literal(''), email(`${E}emailFormat`, 'refer.referrer.email')]).optional(),
    phone: z.union([z.literal(''), phone(`${E}phoneFormat`, 'refer.referrer.phone')]).optional(),
    relationship: requiredLine(`${E}referrerRelationship`, `${F}relationship`),
  })
  // Checked with the other fields, so an empty page names every one of them at once.
  .refine((r) => r?.email || r?.phone, {
    message: `${E}referrerContact`,
    path: ['email'],
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  })

/** The resident, as one object: the same whether it came from the pages or the API. */
export const residentSchema = z
  .object({
    name: requiredLine(`${E}nameRequired`, `${F}name`, 200),
    dateOfBirth: dateOfBirth.optional(),
    ageRange: z.string().max(20).optional(),
    noFixedAddress: z.boolean().default(false),
    postcode: postcode.optional(),
    /** The partner borough's code: needed with no fixed address, or where a postcode straddles two. */
    borough: z.string().max(20).optional(),
    contactMethods: checked(CONTACT_METHODS, `${E}contactMethods`),
    phone: phone(`${E}phoneRequired`, 'refer.contact.phone').optional(),
    email: email(`${E}emailRequired`, 'refer.contact.email').optional(),
    address: optionalText('refer.contact.address', 500),
    safe: checked(SAFE_CHANNELS),
    language: optionalLine('refer.language.language', 100),
    interpreter: z.boolean().default(false),
    accessNeeds: optionalText(`${F}accessNeeds`, 1000),
  })
  .superRefine((r, ctx) => {
    const need = (ok: unknown, path: string, message: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', path: [path], message })
    }
    need(r.noFixedAddress || r.postcode, 'postcode', `${E}postcodeRequired`)
    need(!r.noFixedAddress || r.borough, 'borough', `${E}boroughRequired`)
    need(!r.contactMethods.includes('phone') || r.phone, 'phone', `${E}phoneRequired`)
    need(!r.contactMethods.includes('email') || r.email, 'email', `${E}emailRequired`)
    need(!r.contactMethods.includes('post') || !r.noFixedAddress, 'contactMethods', `${E}postNeedsAddress`)
    need(!r.contactMethods.includes('post') || r.address, 'address', `${E}addressRequired`)
    need(!r.safe.includes('text') || isMobile(r.phone), 'safe', `${E}textNeedsMobile`)
  })

export const reportingSchema = z
  .object(
    Object.fromEntries(REPORTING_QUESTIONS.map((q) => [q, z.enum(REPORTING_ANSWERS).optional()])) as Record<
      (typeof REPORTING_QUESTIONS)[number],
      z.ZodOptional<z.ZodEnum<{ [K in (typeof REPORTING_ANSWERS)[number]]: K }>>
    >,
  )
  .default({})

/**
 * A whole referral. Someone referring another person must send the referrer's details and confirm the
 * resident's consent; a resident asking for themselves consents by sending it.
 */
export const referralSchema = z
  .object({
    onBehalf: z.boolean(),
    referrer: referrerSchema.optional(),
    consent: z.boolean({ error: `${E}consent` }),
    resident: residentSchema,
    needs: z
      .array(needSchema)
      .min(1, `${E}needs`)
      .max(NEED_KINDS.length)
      .refine((ns) => new Set(ns.map((n) => n.kind)).size === ns.length, `${E}needsRepeated`),
    reporting: reportingSchema,
  })
  .superRefine((r, ctx) => {
    if (r.onBehalf && !r.referrer)
      ctx.addIssue({ code: 'custom', path: ['referrer'], message: `${E}referrerName` })
    if (!r.consent) ctx.addIssue({ code: 'custom', path: ['consent'], message: `${E}consent` })
  })
export type ReferralInput = z.infer<typeof referralSchema>

/**
 * The partner API's body: always on behalf of someone; the organisation comes from the API key.
 */
export const apiReferralSchema = z
  .object({
    referrer: referrerSchema.safeExtend({ organisation: optionalLine('refer.referrer.organisation', 200) }),
    consent: z.literal(true, { error: `${E}consent` }),
    resident: residentSchema,
    needs: referralSchema.shape.needs,
    reporting: reportingSchema,
  })
  .strict()

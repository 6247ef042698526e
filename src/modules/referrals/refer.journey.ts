import { z } from 'zod'
import { cleanText } from '#platform/validation.ts'
import {
  CONNECTIVITY,
  CONTACT_METHODS,
  checked,
  DEVICE_TYPES,
  dateOfBirth,
  email,
  HOME_LIBRARY_REASONS,
  type NeedInput,
  optionalLine,
  optionalText,
  phone,
  postcode,
  REPORTING_ANSWERS,
  REPORTING_QUESTIONS,
  type ReferralInput,
  referrerSchema,
  requiredLine,
  requiredText,
  SAFE_CHANNELS,
  SKILLS_GOALS,
  SKILLS_WAYS,
} from './refer.schemas.ts'
import { NEED_KINDS, type NeedKind } from './referral.ts'
import { derivedReporting } from './reporting-derived.ts'
import { homeLibraryEligible, lookupPostcode, type ReferralRules } from './rules.ts'

/**
 * The /refer journey as data: its pages in order, when each applies, what each asks (one schema per
 * page) and how the answers become one referral. Answers are kept per page: `answers[pageId]`.
 */

const E = 'refer.error.'

export type Answers = Record<string, Record<string, unknown> | undefined>

const yesNo = (message: string) => z.enum(['yes', 'no'], { error: message })

export interface JourneyContext {
  rules: ReferralRules
  /** Codes of the partner boroughs, in display order. */
  boroughCodes: readonly string[]
}

/** The council page's choices for these answers: partner boroughs, and "outside" where it may be. */
export function councilChoices(
  a: Answers,
  ctx: JourneyContext,
): { boroughs: string[]; outside: boolean; why: string } {
  const given = a.postcode?.postcode
  if (a.address?.hasAddress === 'yes' && typeof given === 'string') {
    const found = lookupPostcode(ctx.rules, given)
    if (found.kind === 'ask') return { boroughs: found.boroughs, outside: found.alsoOutside, why: 'straddle' }
    if (found.kind === 'outside') return { boroughs: [...ctx.boroughCodes], outside: true, why: 'outside' }
  }
  return { boroughs: [...ctx.boroughCodes], outside: true, why: 'no-address' }
}

const datePart = z.preprocess((v) => (v === undefined ? '' : cleanText(v)), z.string())
/**
 * Day, month and year as typed, checked as one real date of birth; a part too long is not a real date,
 * named on the date as a whole (GOV.UK date input), not on the part.
 */
const dobDatePage = z.object({ day: datePart, month: datePart, year: datePart }).transform((v, ctx) => {
  const missing = (['day', 'month', 'year'] as const).filter((k) => !v[k])
  if (missing.length === 3) {
    ctx.addIssue({ code: 'custom', path: ['dob-day'], message: `${E}dobRequired` })
    return z.NEVER
  }
  if (missing.length) {
    ctx.addIssue({ code: 'custom', path: [`dob-${missing[0]}`], message: `${E}dobMissing-${missing[0]}` })
    return z.NEVER
  }
  const pad = (s: string, n: number) => s.padStart(n, '0')
  const date = `${pad(v.year, 4)}-${pad(v.month, 2)}-${pad(v.day, 2)}`
  const checkedDate = dateOfBirth.safeParse(/^\d{4}-\d{2}-\d{2}$/.test(date) ? date : 'x')
  if (!checkedDate.success) {
    ctx.addIssue({
      code: 'custom',
      path: ['dob-day'],
      message: checkedDate.error.issues[0]?.message ?? `${E}dobReal`,
    })
    return z.NEVER
  }
  return { ...v, date }
})

const phoneRequired = phone(`${E}phoneRequired`, 'refer.contact.phone')
const emailRequired = email(`${E}emailRequired`, 'refer.contact.email')
const contactPage = z
  .object({
    methods: checked(CONTACT_METHODS, `${E}contactMethods`),
    phone: optionalLine('refer.contact.phone', 30),
    email: optionalLine('refer.contact.email', 254),
    address: optionalText('refer.contact.address', 500),
  })
  .superRefine((v, ctx) => {
    const check = (schema: z.ZodType, value: string, path: string) => {
      const r = schema.safeParse(value)
      if (!r.success)
        ctx.addIssue({ code: 'custom', path: [path], message: r.error.issues[0]?.message ?? '' })
    }
    if (v.methods.includes('phone')) check(phoneRequired, v.phone, 'phone')
    if (v.methods.includes('email')) check(emailRequired, v.email, 'email')
    if (v.methods.includes('post') && !v.address)
      ctx.addIssue({ code: 'custom', path: ['address'], message: `${E}addressRequired` })
  })

export interface Page {
  id: string
  applies(a: Answers, ctx: JourneyContext): boolean
  /** Answered well enough to go on (a "no" to consent, or not eligible, stops the journey). */
  done?(a: Answers, ctx: JourneyContext): boolean
  schema(a: Answers, ctx: JourneyContext): z.ZodType
  /** Answers of later pages that no longer hold once this one changes. */
  invalidates?: string[]
}

const always = () => true
const onBehalf = (a: Answers) => a.who?.who === 'someone-else'
const wants = (kind: NeedKind) => (a: Answers) =>
  ((a.needs?.needs as string[] | undefined) ?? []).includes(kind)
/**
 * A page's schema that depends on nothing the person answered, made once: zod compiles a schema when it
 * first parses, which costs more than the parse, so one made afresh on every post is paid for each time.
 */
const fixed = (schema: z.ZodType) => () => schema
const needPage = (kind: NeedKind, shape: z.ZodRawShape): Page => ({
  id: `need-${kind}`,
  applies: wants(kind),
  schema: fixed(z.object(shape)),
})

export const PAGES: Page[] = [
  {
    id: 'who',
    applies: always,
    schema: fixed(z.object({ who: z.enum(['self', 'someone-else'], { error: `${E}who` }) })),
  },
  { id: 'referrer', applies: onBehalf, schema: fixed(referrerSchema) },
  {
    id: 'consent',
    applies: onBehalf,
    done: (a) => a.consent?.consent === 'yes',
    schema: fixed(z.object({ consent: yesNo(`${E}consentChoice`) })),
  },
  {
    id: 'name',
    applies: always,
    schema: fixed(z.object({ name: requiredLine(`${E}nameRequired`, 'refer.field.name') })),
  },
  {
    id: 'dob',
    applies: always,
    schema: fixed(z.object({ choice: z.enum(['date', 'range', 'skip'], { error: `${E}dobChoice` }) })),
  },
  { id: 'dob-date', applies: (a) => a.dob?.choice === 'date', schema: fixed(dobDatePage) },
  {
    id: 'age-range',
    applies: (a) => a.dob?.choice === 'range',
    schema: (_a, ctx) =>
      z.object({ ageRange: z.enum(ctx.rules.ageRanges as [string, ...string[]], { error: `${E}ageRange` }) }),
  },
  {
    id: 'address',
    applies: always,
    invalidates: ['council'],
    schema: fixed(z.object({ hasAddress: yesNo(`${E}hasAddress`) })),
  },
  {
    id: 'postcode',
    applies: (a) => a.address?.hasAddress === 'yes',
    invalidates: ['council'],
    schema: fixed(z.object({ postcode })),
  },
  {
    id: 'council',
    applies: (a, ctx) => {
      if (a.address?.hasAddress === 'no') return true
      const given = a.postcode?.postcode
      return typeof given === 'string' && lookupPostcode(ctx.rules, given).kind !== 'borough'
    },
    done: (a, ctx) => ctx.boroughCodes.includes(String(a.council?.borough)),
    schema: (a, ctx) => {
      const c = councilChoices(a, ctx)
      return z.object({
        borough: z.enum([...(c.outside ? ['outside'] : []), ...c.boroughs] as [string, ...string[]], {
          error: `${E}council`,
        }),
      })
    },
  },
  { id: 'contact', applies: always, invalidates: ['safe'], schema: fixed(contactPage) },
  {
    id: 'safe',
    applies: (a) =>
      ((a.contact?.methods as string[] | undefined) ?? []).some((m) => m === 'phone' || m === 'post'),
    schema: (a) =>
      z
        .object({ safe: checked([...SAFE_CHANNELS, 'none'] as const, `${E}safe`) })
        .refine((v) => !(v.safe.includes('none') && v.safe.length > 1), {
          message: `${E}safeNone`,
          path: ['safe'],
        })
        .refine((v) => !v.safe.includes('text') || isMobileAnswer(a), {
          message: `${E}textNeedsMobile`,
          path: ['safe'],
        }),
  },
  {
    id: 'language',
    applies: always,
    schema: fixed(
      z.object({
        language: optionalLine('refer.language.language', 100),
        interpreter: yesNo(`${E}interpreter`),
      }),
    ),
  },
  {
    id: 'access',
    applies: always,
    schema: fixed(z.object({ accessNeeds: optionalText('refer.field.accessNeeds', 1000) })),
  },
  { id: 'needs', applies: always, schema: fixed(z.object({ needs: checked(NEED_KINDS, `${E}needs`) })) },
  needPage('device', { deviceType: z.enum(DEVICE_TYPES, { error: `${E}deviceType` }) }),
  needPage('connectivity', { option: z.enum(CONNECTIVITY, { error: `${E}connectivity` }) }),
  needPage('skills', {
    ways: checked(SKILLS_WAYS, `${E}skillsWays`),
    goals: checked(SKILLS_GOALS, `${E}skillsGoals`),
    goalOther: optionalLine('refer.field.goalOther', 300),
  }),
  {
    ...needPage('home-library', {
      reason: z.enum(HOME_LIBRARY_REASONS, { error: `${E}hlsReason` }),
      interests: optionalText('refer.field.interests', 1000),
    }),
    done: (a, ctx) => homeLibraryEligible(ctx.rules, String(a['need-home-library']?.reason)),
  },
  needPage('other', { description: requiredText(`${E}otherRequired`, 'refer.field.otherHelp', 1000) }),
  {
    id: 'reporting',
    applies: always,
    schema: (a) =>
      z.object(Object.fromEntries(reportingAsked(a).map((q) => [q, z.enum(REPORTING_ANSWERS).optional()]))),
  },
]

/** The counting questions still to ask: those the earlier answers do not already answer. */
export function reportingAsked(a: Answers): (typeof REPORTING_QUESTIONS)[number][] {
  const known = derivedReporting(
    {
      dateOfBirth: a.dob?.choice === 'date' ? String(a['dob-date']?.date) : undefined,
      ageRange: a.dob?.choice === 'range' ? String(a['age-range']?.ageRange) : undefined,
      noFixedAddress: a.address?.hasAddress === 'no',
    },
    new Date().toISOString().slice(0, 10),
  )
  return REPORTING_QUESTIONS.filter((q) => !(q in known))
}

function isMobileAnswer(a: Answers): boolean {
  const p = String(a.contact?.phone ?? '')
    .replace(/\D/g, '')
    .replace(/^44/, '0')
  return /^07[0-9]{9}$/.test(p)
}

export function findPage(id: string): Page | undefined {
  return PAGES.find((p) => p.id === id)
}

export function pagesFor(a: Answers, ctx: JourneyContext): Page[] {
  return PAGES.filter((p) => p.applies(a, ctx))
}

/** The first page not yet answered (or answered in a way that stops the journey), or null when done. */
export function firstIncomplete(a: Answers, ctx: JourneyContext): Page | null {
  for (const p of pagesFor(a, ctx)) {
    if (a[p.id] === undefined) return p
    if (p.done && !p.done(a, ctx)) return p
  }
  return null
}

/** Where to go after answering `id`: the next page that applies, or the check page when all are done. */
export function nextAfter(id: string, a: Answers, ctx: JourneyContext, changing: boolean): string {
  if (changing) return firstIncomplete(a, ctx)?.id ?? 'check'
  const pages = pagesFor(a, ctx)
  const at = pages.findIndex((p) => p.id === id)
  return pages[at + 1]?.id ?? firstIncomplete(a, ctx)?.id ?? 'check'
}

/** A page may be shown when it applies and every page before it is done. */
export function mayShow(id: string, a: Answers, ctx: JourneyContext): boolean {
  const page = findPage(id)
  if (!page?.applies(a, ctx)) return false
  const first = firstIncomplete(a, ctx)
  if (!first) return true
  const order = PAGES.map((p) => p.id)
  return order.indexOf(id) <= order.indexOf(first.id)
}

/** Saves one page's answers, dropping the later answers it invalidates. */
export function withAnswer(a: Answers, id: string, data: Record<string, unknown>): Answers {
  const next: Answers = { ...a, [id]: data }
  for (const dep of findPage(id)?.invalidates ?? []) delete next[dep]
  return next
}

/** The whole journey as the one referral shape the service takes (the API's too). */
export function toReferralInput(a: Answers): unknown {
  const s = (page: string, key: string) => a[page]?.[key]
  const methods = (s('contact', 'methods') as string[] | undefined) ?? []
  const needs = ((s('needs', 'needs') as NeedKind[] | undefined) ?? []).map(
    (kind) => ({ kind, ...(a[`need-${kind}`] ?? {}) }) as NeedInput,
  )
  const noFixedAddress = s('address', 'hasAddress') === 'no'
  const input: Record<string, unknown> = {
    onBehalf: s('who', 'who') === 'someone-else',
    consent: s('who', 'who') === 'self' || s('consent', 'consent') === 'yes',
    referrer: s('who', 'who') === 'someone-else' ? a.referrer : undefined,
    resident: {
      name: s('name', 'name'),
      dateOfBirth: s('dob', 'choice') === 'date' ? s('dob-date', 'date') : undefined,
      ageRange: s('dob', 'choice') === 'range' ? s('age-range', 'ageRange') : undefined,
      noFixedAddress,
      postcode: noFixedAddress ? undefined : s('postcode', 'postcode'),
      borough: a.council ? s('council', 'borough') : undefined,
      contactMethods: methods,
      phone: methods.includes('phone') ? s('contact', 'phone') : undefined,
      email: methods.includes('email') ? s('contact', 'email') : undefined,
      address: methods.includes('post') ? s('contact', 'address') : '',
      safe: ((s('safe', 'safe') as string[] | undefined) ?? []).filter((c) => c !== 'none'),
      language: s('language', 'language'),
      interpreter: s('language', 'interpreter') === 'yes',
      accessNeeds: s('access', 'accessNeeds'),
    },
    needs,
    reporting: a.reporting ?? {},
  }
  return input satisfies Partial<Record<keyof ReferralInput, unknown>>
}

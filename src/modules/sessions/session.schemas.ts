import { z } from 'zod'
import { joinDateInputs } from '#platform/date-input.ts'
import { messageKey } from '#platform/forms.ts'
import { cleanText } from '#platform/validation.ts'
import { isDate, isTime, WEEKDAYS } from './recurrence.ts'
import { ATTENDANCE, SESSION_KINDS, VENUES } from './session.ts'
import { SKILL_LEVELS, SKILLS, type Skill, type SkillLevel } from './skills.ts'

const E = 'sessions.errors.'

const line = (v: unknown) => {
  const c = cleanText(v)
  return typeof c === 'string' ? c.replace(/[\r\n\t]+/g, ' ') : c
}
/** "Title must be 120 characters or fewer": each field's name is in `sessions.fields`. */
const tooLong = (name: string, max: number) =>
  messageKey(`${E}tooLong`, { label: `sessions.fields.${name}`, max })
export const required = (message: string, name: string, max = 200) =>
  z.preprocess(line, z.string({ error: message }).min(1, message).max(max, tooLong(name, max)))
export const optional = (name: string, max = 200) =>
  z.preprocess((v) => (v === undefined ? '' : line(v)), z.string().max(max, tooLong(name, max)))
const text = (name: string, max = 2000) =>
  z.preprocess((v) => (v === undefined ? '' : cleanText(v)), z.string().max(max, tooLong(name, max)))
export const checked = z.preprocess((v) => v !== undefined && v !== '', z.boolean())
const list = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()))

/** Places at each date: a whole number from 1 to 500. */
export const capacity = z.preprocess(
  line,
  z.coerce
    .number({ error: `${E}capacity` })
    .int(`${E}capacity`)
    .min(1, `${E}capacity`)
    .max(500, `${E}capacity`),
)

/** How a resident can be reached: an email, a phone, or nothing ("I will come in"). */
export const bookingSchema = z
  .object({
    name: required(`${E}nameMissing`, 'name', 100),
    contactBy: z.enum(['email', 'phone', 'none'], { error: `${E}contactByMissing` }),
    email: optional('email', 254),
    phone: optional('phone', 30),
    safeToContact: checked,
    carerName: optional('carerName', 100),
    carerContact: optional('carerContact', 254),
    carerConsent: checked,
  })
  .superRefine((v, ctx) => {
    if (v.contactBy === 'email' && !z.email().safeParse(v.email).success)
      ctx.addIssue({ code: 'custom', path: ['email'], message: `${E}emailFormat` })
    if (v.contactBy === 'phone' && !/^\+?[0-9()\s-]{10,20}$/.test(v.phone))
      ctx.addIssue({ code: 'custom', path: ['phone'], message: `${E}phoneFormat` })
  })
  .transform((v) => ({
    name: v.name,
    email: v.contactBy === 'email' ? v.email : null,
    phone: v.contactBy === 'phone' ? v.phone : null,
    canEmail: v.contactBy === 'email' && v.safeToContact,
    canText: v.contactBy === 'phone' && v.safeToContact,
    carerName: v.carerName || null,
    carerContact: v.carerContact || null,
    carerConsent: v.carerConsent,
  }))

/** A booking named by its reference and the contact detail it was made with. */
export const referenceSchema = z.object({
  reference: required(`${E}referenceMissing`, 'reference', 20),
  contact: required(`${E}contactMissing`, 'contact', 254),
})

/** The dates asked with the GOV.UK date input on the new session page. */
export const SESSION_DATES = ['start', 'until', 'skip1', 'skip2', 'skip3'] as const

/** A new session or series; its dates come as day, month and year. */
export const sessionSchema = z.preprocess(
  (body) => joinDateInputs(body, SESSION_DATES),
  z
    .object({
      title: required(`${E}titleMissing`, 'title', 120),
      kind: z.enum(SESSION_KINDS, { error: `${E}kindMissing` }),
      boroughId: required(`${E}boroughMissing`, 'boroughId', 40),
      venue: z.enum(VENUES, { error: `${E}venueMissing` }),
      locationId: optional('locationId', 40),
      onlineLink: optional('onlineLink', 500),
      serviceCode: optional('serviceCode', 80),
      language: required(`${E}languageMissing`, 'language', 40),
      description: text('description'),
      whatToBring: optional('whatToBring', 500),
      capacity,
      start: required(`${E}startMissing`, 'start', 10).refine(isDate, `${E}startMissing`),
      startTime: required(`${E}timeMissing`, 'startTime', 5).refine(isTime, `${E}rule.time`),
      endTime: required(`${E}timeMissing`, 'endTime', 5).refine(isTime, `${E}rule.time`),
      days: list.pipe(z.array(z.enum(WEEKDAYS))),
      until: optional('until', 10),
      skip1: optional('skip1', 10),
      skip2: optional('skip2', 10),
      skip3: optional('skip3', 10),
    })
    .superRefine((v, ctx) => {
      if (v.until && !isDate(v.until))
        ctx.addIssue({ code: 'custom', path: ['until'], message: `${E}rule.end` })
      if (v.venue === 'place' && !v.locationId)
        ctx.addIssue({ code: 'custom', path: ['locationId'], message: `${E}place` })
      if (v.venue === 'online' && !/^https:\/\/\S+$/.test(v.onlineLink))
        ctx.addIssue({ code: 'custom', path: ['onlineLink'], message: `${E}onlineLink` })
      for (const skip of ['skip1', 'skip2', 'skip3'] as const)
        if (v[skip] && !isDate(v[skip]))
          ctx.addIssue({ code: 'custom', path: [skip], message: `${E}skipDate` })
    }),
)

export const markSchema = z.object({
  bookingId: required(`${E}bookingMissing`, 'bookingId', 40),
  status: z.enum(ATTENDANCE, { error: `${E}attendanceMissing` }),
})

export const moveSchema = z.object({
  bookingId: required(`${E}bookingMissing`, 'bookingId', 40),
  direction: z.enum(['up', 'down'], { error: `${E}bookingMissing` }),
  reason: required(`${E}reasonMissing`, 'reason', 300),
})

/** A skills check: how well the learner says they can do each of the thirteen skills. */
export const skillsSchema = z.object(
  Object.fromEntries(SKILLS.map((s) => [s, z.enum(SKILL_LEVELS, { error: `${E}skillMissing` })])) as Record<
    Skill,
    z.ZodEnum<{ [L in SkillLevel]: L }>
  >,
)

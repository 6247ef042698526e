import { z } from 'zod'
import { messageKey } from '#platform/forms.ts'
import { cleanText } from '#platform/validation.ts'
import { PASSWORD_MAX } from './password.ts'

/** Messages are keys of this module's locales/en.json, put into words where a page shows them. */
const E = 'accounts.errors.'

/** `label` is the locale key of the field's name, so a length error says which answer is too long. */
const text = (message: string, label: string, max = 200) =>
  z.preprocess(
    cleanText,
    z
      .string({ error: message })
      .min(1, message)
      .max(max, messageKey(`${E}tooLong`, { label, max })),
  )

const email = z.preprocess(
  cleanText,
  z
    .string({ error: `${E}emailMissing` })
    .min(1, `${E}emailMissing`)
    .max(254, `${E}emailTooLong`)
    .pipe(z.email(`${E}emailFormat`)),
)

// Passwords are taken exactly as typed: no trimming, and paste is allowed.
const password = (message: string) =>
  z
    .string({ error: message })
    .min(1, message)
    .max(PASSWORD_MAX, messageKey(`${E}passwordTooLong`, { max: PASSWORD_MAX }))

/** A checkbox group arrives as a string, an array, or nothing when none is ticked. */
const checked = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().max(100)),
)

export const signInSchema = z.object({
  email: z.preprocess(
    cleanText,
    z
      .string({ error: `${E}yourEmail` })
      .min(1, `${E}yourEmail`)
      .max(254, `${E}emailTooLong`),
  ),
  password: password(`${E}yourPassword`),
})

export const changePasswordSchema = z
  .object({
    current: password(`${E}currentPassword`),
    next: password(`${E}newPassword`),
    confirm: password(`${E}newPasswordAgain`),
  })
  .refine((v) => v.next === v.confirm, { message: `${E}passwordsDiffer`, path: ['confirm'] })

export const setPasswordSchema = z
  .object({
    password: password(`${E}password`),
    confirm: password(`${E}passwordAgain`),
  })
  .refine((v) => v.password === v.confirm, { message: `${E}passwordsDiffer`, path: ['confirm'] })

export const setupSchema = z
  .object({
    name: text(`${E}yourName`, 'accounts.labels.yourName'),
    email,
    password: password(`${E}password`),
    confirm: password(`${E}passwordAgain`),
  })
  .refine((v) => v.password === v.confirm, { message: `${E}passwordsDiffer`, path: ['confirm'] })

const access = {
  roles: checked.refine((v) => v.length > 0, `${E}roles`),
  boroughs: checked.refine((v) => v.length > 0, `${E}boroughs`),
  /** A select: empty for none. The service checks it is a partner organisation. */
  organisation: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : ''),
    z.string().max(100, `${E}organisation`),
  ),
}

/** "all" in the boroughs list stands for every borough, including any added later. */
function withScope<T extends { boroughs: string[]; organisation: string }>(v: T) {
  const allBoroughs = v.boroughs.includes('all')
  return {
    ...v,
    allBoroughs,
    boroughIds: allBoroughs ? [] : v.boroughs,
    organisationId: v.organisation || null,
  }
}

export const inviteSchema = z
  .object({ name: text(`${E}theirName`, 'accounts.labels.theirName'), email, ...access })
  .transform(withScope)

export const accessSchema = z.object(access).transform(withScope)

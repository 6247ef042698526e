import { z } from 'zod'
import { cleanText } from '#platform/validation.ts'
import { PASSWORD_MAX } from './password.ts'

const text = (message: string, max = 200) =>
  z.preprocess(
    cleanText,
    z.string({ error: message }).min(1, message).max(max, `Must be ${max} characters or fewer`),
  )

const email = z.preprocess(
  cleanText,
  z
    .string({ error: 'Enter an email address' })
    .min(1, 'Enter an email address')
    .max(254, 'Email address must be 254 characters or fewer')
    .pipe(z.email('Enter an email address in the correct format, like name@example.com')),
)

// Passwords are taken exactly as typed: no trimming, and paste is allowed.
const password = (message: string) =>
  z
    .string({ error: message })
    .min(1, message)
    .max(PASSWORD_MAX, `Password must be ${PASSWORD_MAX} characters or fewer`)

/** A checkbox group arrives as a string, an array, or nothing when none is ticked. */
const checked = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().max(100)),
)

export const signInSchema = z.object({
  email: z.preprocess(
    cleanText,
    z.string({ error: 'Enter your email address' }).min(1, 'Enter your email address').max(254),
  ),
  password: password('Enter your password'),
})

export const changePasswordSchema = z
  .object({
    current: password('Enter your current password'),
    next: password('Enter a new password'),
    confirm: password('Enter the new password again'),
  })
  .refine((v) => v.next === v.confirm, { message: 'The passwords do not match', path: ['confirm'] })

export const setPasswordSchema = z
  .object({
    password: password('Enter a password'),
    confirm: password('Enter the password again'),
  })
  .refine((v) => v.password === v.confirm, { message: 'The passwords do not match', path: ['confirm'] })

export const setupSchema = z
  .object({
    name: text('Enter your full name'),
    email,
    password: password('Enter a password'),
    confirm: password('Enter the password again'),
  })
  .refine((v) => v.password === v.confirm, { message: 'The passwords do not match', path: ['confirm'] })

const access = {
  roles: checked.refine((v) => v.length > 0, 'Select at least one role'),
  boroughs: checked.refine((v) => v.length > 0, 'Select at least one borough'),
  /** A select: empty for none. The service checks it is a partner organisation. */
  organisation: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : ''),
    z.string().max(100, 'Select an organisation from the list'),
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
  .object({ name: text('Enter their full name'), email, ...access })
  .transform(withScope)

export const accessSchema = z.object(access).transform(withScope)

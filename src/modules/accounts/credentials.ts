import { createHash } from 'node:crypto'

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

/** Tokens, keys, and the emails and addresses of sign-in attempts are stored as this hash, never as given. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

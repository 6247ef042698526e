import fs from 'node:fs'
import path from 'node:path'
import { Algorithm, hash, verify } from '@node-rs/argon2'

export const PASSWORD_MIN = 12
export const PASSWORD_MAX = 128

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 }

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2)
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    // Spend the same time as a real check, so timing does not tell which emails have accounts.
    await hash(password, ARGON2)
    return false
  }
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}

let common: Set<string> | undefined

/** The shipped list of passwords that attackers try first (common-passwords.txt beside this file). */
function commonPasswords(appRoot: string): Set<string> {
  common ??= new Set(
    fs
      .readFileSync(path.join(appRoot, 'src/modules/accounts/common-passwords.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean),
  )
  return common
}

/** Why a new password is refused, in words for the person choosing it; null when it is fine. */
export function passwordProblem(password: string, appRoot: string, context: string[] = []): string | null {
  if (password.length < PASSWORD_MIN) return `Password must be ${PASSWORD_MIN} characters or more`
  if (password.length > PASSWORD_MAX) return `Password must be ${PASSWORD_MAX} characters or fewer`
  const lower = password.toLowerCase()
  if (commonPasswords(appRoot).has(lower) || /^(.)\1+$/.test(password)) {
    return 'Choose a password that is harder to guess: this one is on a list of common passwords'
  }
  if (personalParts(context).some((part) => lower.includes(part))) {
    return 'Password must not contain your name or email address, or any part of them'
  }
  return null
}

/** Each word of a name or an email address ("Ana María", "ana.maria@..."), three letters or more. */
function personalParts(context: string[]): string[] {
  return context.flatMap((c) => c.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter((part) => part.length >= 3)
}

import { createHmac, timingSafeEqual } from 'node:crypto'

/** The lists a person may join; their names and descriptions are words in the locale file. */
export const LIST_CODES = ['partners-news', 'funding', 'training', 'home-library-news'] as const
export type ListCode = (typeof LIST_CODES)[number]

export function isListCode(code: string): code is ListCode {
  return (LIST_CODES as readonly string[]).includes(code)
}

/** Addresses are kept lower-case and trimmed, so one person is one subscriber. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

/**
 * Throwaway mailbox services: a sign-up from one cannot be a partner who wants news for long, and is
 * most often a bot. Subdomains count too (`x.mailinator.com`).
 */
const DISPOSABLE_DOMAINS = new Set([
  '10minutemail.com',
  'dispostable.com',
  'fakeinbox.com',
  'getnada.com',
  'guerrillamail.com',
  'guerrillamail.net',
  'mailinator.com',
  'maildrop.cc',
  'mintemail.com',
  'sharklasers.com',
  'temp-mail.org',
  'tempmail.net',
  'throwawaymail.com',
  'trashmail.com',
  'yopmail.com',
])
const DISPOSABLE_WORDS = /(^|[.-])(temp-?mail|throwaway|disposable|trash-?mail|10-?minute)/

/** One `@`, something before it, a domain with a dot and no spaces: what a mailbox address looks like. */
const ADDRESS = /^[^\s@]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/

export type AddressProblem = 'missing' | 'format' | 'disposable'

export function addressProblem(raw: string): AddressProblem | null {
  const email = normaliseEmail(raw)
  if (!email) return 'missing'
  if (email.length > 254 || !ADDRESS.test(email)) return 'format'
  const domain = email.slice(email.indexOf('@') + 1)
  const parts = domain.split('.')
  for (let i = 0; i < parts.length - 1; i++)
    if (DISPOSABLE_DOMAINS.has(parts.slice(i).join('.'))) return 'disposable'
  return DISPOSABLE_WORDS.test(domain) ? 'disposable' : null
}

/**
 * Bounce scoring. A hard bounce (no such mailbox) stops sending at once; a soft one (mailbox full, a
 * temporary block) adds a point, and a message delivered clears the score, so a passing block never
 * removes a real subscriber: only five soft bounces in a row with nothing delivered between.
 */
export const BOUNCE_LIMIT = 5
const POINTS = { hard: BOUNCE_LIMIT, soft: 1 } as const
export type BounceKind = keyof typeof POINTS

export function scoreAfter(score: number, event: BounceKind | 'delivered'): { score: number; stop: boolean } {
  if (event === 'delivered') return { score: 0, stop: false }
  const next = score + POINTS[event]
  return { score: next, stop: next >= BOUNCE_LIMIT }
}

/** The kind of bounce an SMTP refusal is, from the outbox's error (`SMTP 550: ...`): 5xx lasts, 4xx passes. */
export function bounceKindOf(error: string | null): BounceKind | null {
  const code = /^SMTP ([45])\d\d\b/.exec(error ?? '')?.[1]
  if (code === '5') return 'hard'
  if (code === '4') return 'soft'
  return null
}

/**
 * Links in every message (unsubscribe, manage your lists) carry the subscriber's id signed with the
 * Hub's secret and the link's purpose: stable, needing no row, and refused if any character is changed.
 */
export type LinkPurpose = 'unsubscribe' | 'manage'

/** Only ids and list codes go in a link, as they are: the token stays short enough for the router. */
const PAYLOAD = /^[0-9a-z-]+(\.[0-9a-z-]+)?$/

/** 128 bits of HMAC-SHA256, enough against guessing, short enough for a link in a text email. */
function mac(secret: string, purpose: LinkPurpose, payload: string): string {
  return createHmac('sha256', `${secret}:mailing`)
    .update(`${purpose}:${payload}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url')
}

/** `payload` is the subscriber's id, and for an unsubscribe link also the list's code (`id.code`). */
export function signLink(secret: string, purpose: LinkPurpose, payload: string): string {
  if (!PAYLOAD.test(payload)) throw new Error('A link carries ids and codes only')
  return `${payload}.${mac(secret, purpose, payload)}`
}

export function verifyLink(secret: string, purpose: LinkPurpose, token: string): string | null {
  const cut = token.lastIndexOf('.')
  const payload = token.slice(0, Math.max(0, cut))
  if (!PAYLOAD.test(payload)) return null
  const expected = Buffer.from(mac(secret, purpose, payload))
  const given = Buffer.from(token.slice(cut + 1))
  return given.length === expected.length && timingSafeEqual(given, expected) ? payload : null
}

/**
 * The pure rules of the device stock: kinds, sources, the lifecycle and which moves it allows, and the
 * check digits of IMEIs and ICCIDs. No I/O here.
 */

export const DEVICE_KINDS = ['laptop', 'chromebook', 'tablet', 'phone', 'hotspot', 'sim'] as const
export type DeviceKind = (typeof DEVICE_KINDS)[number]

export const SOURCES = ['bought', 'donated', 'national-scheme'] as const
export type DeviceSource = (typeof SOURCES)[number]

export const CONDITIONS = ['new', 'good', 'fair', 'poor'] as const
export type DeviceCondition = (typeof CONDITIONS)[number]

export const DEVICE_STATES = [
  'received',
  'wiping',
  'ready',
  'allocated',
  'on-loan',
  'gifted',
  'returned',
  'retired',
  'lost',
] as const
export type DeviceState = (typeof DEVICE_STATES)[number]

/** Every allowed move. The service refuses anything not listed, whatever a page shows. */
export const DEVICE_TRANSITIONS: Record<DeviceState, readonly DeviceState[]> = {
  received: ['wiping', 'ready', 'retired'],
  wiping: ['ready', 'retired'],
  ready: ['allocated', 'wiping', 'retired', 'lost'],
  allocated: ['on-loan', 'gifted', 'ready'],
  'on-loan': ['returned', 'lost'],
  gifted: [],
  returned: ['wiping', 'retired'],
  retired: [],
  lost: ['returned'],
}

/** The states from which a move to `to` is allowed: what a conditional update checks at write time. */
export function statesBefore(to: DeviceState): DeviceState[] {
  return DEVICE_STATES.filter((s) => DEVICE_TRANSITIONS[s].includes(to))
}

export function canMove(from: DeviceState, to: DeviceState): boolean {
  return DEVICE_TRANSITIONS[from].includes(to)
}

/** A SIM card holds no one's data when it arrives: it needs no wipe record to be ready. */
export function needsWipe(kind: DeviceKind): boolean {
  return kind !== 'sim'
}

/** Kinds whose identifier is an IMEI (a phone or a hotspot) or an ICCID (a SIM card). */
export function identifierOf(kind: DeviceKind): 'imei' | 'iccid' | null {
  if (kind === 'phone' || kind === 'hotspot') return 'imei'
  if (kind === 'sim') return 'iccid'
  return null
}

/** The Luhn check (ISO/IEC 7812-1) over a string of digits. */
export function luhnValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

/** Spaces and hyphens as printed on a box are dropped. */
export function compactDigits(value: string): string {
  return value.replace(/[\s-]/g, '')
}

/** An IMEI is 15 digits whose last is a Luhn check digit. */
export function imeiValid(value: string): boolean {
  const digits = compactDigits(value)
  return /^[0-9]{15}$/.test(digits) && luhnValid(digits)
}

/**
 * An ICCID (ITU-T E.118) starts 89 and is 19 or 20 digits, the last a Luhn check digit over the digits
 * before it. Some printed ICCIDs end in an F filler, which is not a digit and is dropped.
 */
export function iccidValid(value: string): boolean {
  const digits = compactDigits(value).replace(/F$/i, '')
  return /^89[0-9]{17,18}$/.test(digits) && luhnValid(digits)
}

/** The digit that makes `partial` + digit pass Luhn: for demo data and tests. */
export function luhnCheckDigit(partial: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(`${partial}${d}`)) return String(d)
  throw new Error('unreachable')
}

/** What goes with a device at handover and comes back at return. */
export const HANDOVER_ITEMS = ['charger', 'case', 'sim', 'setup-help'] as const
export type HandoverItem = (typeof HANDOVER_ITEMS)[number]

/** The channels a resident may choose for reminders at handover (those they say are safe). */
export const REMIND_BY = ['text', 'email'] as const
/** The follow-up's answers: is it used, and what for (the outcomes funders ask about). */
export const USING_IT = ['yes', 'sometimes', 'no'] as const
export const USES = [
  'family-friends',
  'health',
  'benefits-council',
  'work-job-search',
  'learning',
  'shopping-banking',
  'leisure',
] as const

/** The version of the loan and gift agreement a resident accepts at handover. */
export const AGREEMENT_VERSION = '2026-12'

/** A loan is due today at the earliest, and within a year. */
export function dueDateProblem(dueOn: string, today: string): 'past' | 'too-far' | null {
  if (dueOn < today) return 'past'
  const limit = new Date(`${today}T00:00:00Z`)
  limit.setUTCFullYear(limit.getUTCFullYear() + 1)
  if (dueOn > limit.toISOString().slice(0, 10)) return 'too-far'
  return null
}

/** How a kind is named in the directory's live capacity: "3 laptops at Church Street Library". */
export const KIND_PLURAL: Record<DeviceKind, string> = {
  laptop: 'laptops',
  chromebook: 'Chromebooks',
  tablet: 'tablets',
  phone: 'phones',
  hotspot: 'mobile hotspots',
  sim: 'SIM cards',
}

/** The directory service a kind's stock is published under. */
export function capacityService(kind: DeviceKind): 'device-lending' | 'free-sim-cards' {
  return kind === 'sim' ? 'free-sim-cards' : 'device-lending'
}

/** Asset tags: DEV- and six characters with no 0/O or 1/I, easy to read off a label. */
const TAG_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

export function newAssetTag(random: (max: number) => number): string {
  let out = 'DEV-'
  for (let i = 0; i < 6; i++) out += TAG_ALPHABET[random(TAG_ALPHABET.length)]
  return out
}

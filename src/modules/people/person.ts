/**
 * Pure rules of the resident record: the keys people are matched on. Matching only suggests: staff
 * decide whether two records are one person, and nothing is merged without them.
 */

/** "  Ana  MARÍA o'Neil " -> "ana maría o'neil": case, spacing and Unicode forms do not hide a match. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLocaleLowerCase('en-GB').replace(/\s+/g, ' ').trim()
}

/** UK numbers in any spacing, with +44 or 0: "+44 (0)7700 900123" -> "07700900123". */
export function phoneKey(phone: string | null | undefined): string | null {
  if (!phone) return null
  let digits = phone.replace(/\(0\)/g, '').replace(/[^0-9+]/g, '')
  if (digits.startsWith('+44')) digits = `0${digits.slice(3)}`
  else if (digits.startsWith('0044')) digits = `0${digits.slice(4)}`
  digits = digits.replace(/\+/g, '')
  return digits.length >= 7 ? digits : null
}

export function emailKey(email: string | null | undefined): string | null {
  const e = email?.trim().toLowerCase()
  return e ? e : null
}

/** A UK mobile number, the only kind that can take a text message. */
export function isMobile(phone: string | null | undefined): boolean {
  const key = phoneKey(phone)
  return key !== null && /^07[0-9]{9}$/.test(key)
}

export type MatchReason = 'name-and-date-of-birth' | 'phone' | 'email'

export interface MatchKeys {
  name_key: string
  date_of_birth: string | null
  phone_key: string | null
  email_key: string | null
}

/** Why `other` may be the same person as `person`; empty when nothing matches. */
export function matchReasons(person: MatchKeys, other: MatchKeys): MatchReason[] {
  const reasons: MatchReason[] = []
  if (
    person.date_of_birth &&
    person.name_key === other.name_key &&
    person.date_of_birth === other.date_of_birth
  )
    reasons.push('name-and-date-of-birth')
  if (person.phone_key && person.phone_key === other.phone_key) reasons.push('phone')
  if (person.email_key && person.email_key === other.email_key) reasons.push('email')
  return reasons
}

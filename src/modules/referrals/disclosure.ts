import type { Executor } from '#platform/database.ts'

/**
 * A disclosure of a resident's data to a partner organisation: a request routed to a partner's team, or a
 * partner referrer reading where their referrals are. Referrals asks before each one; a later module (the
 * partnership's data-sharing agreements) decides and records it, inside the caller's transaction.
 */
export interface Disclosure {
  /** The partner organisation's id or code (the directory's). */
  organisation: string
  /** `referral`: sending them a request to act on; `referral-status`: telling a referrer where it is. */
  purpose: 'referral' | 'referral-status'
  dataItems: readonly string[]
  referralId: string | null
  boroughId: string | null
  userId: string | null
}

export type DisclosureVerdict = { allowed: true } | { allowed: false; organisationName: string | null }

export type DisclosureCheck = (tx: Executor, disclosure: Disclosure) => Promise<DisclosureVerdict>

/** What routing a request discloses: who the resident is, how to reach them and what they need. */
export const ROUTED_DATA_ITEMS = ['name', 'contact-details', 'address', 'date-of-birth', 'needs'] as const

/** One check at most; with none registered (no partnership module), every disclosure is allowed. */
export function disclosureGate() {
  let registered: DisclosureCheck | null = null
  return {
    registerDisclosureCheck(check: DisclosureCheck): void {
      if (registered) throw new Error('A disclosure check is registered already')
      registered = check
    },
    checkDisclosure(tx: Executor, disclosure: Disclosure): Promise<DisclosureVerdict> {
      return registered ? registered(tx, disclosure) : Promise.resolve({ allowed: true })
    },
  }
}

export type DisclosureGate = ReturnType<typeof disclosureGate>

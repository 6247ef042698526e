import type { StaffUser } from '#platform/access.ts'
import type { DeviceKind, DeviceState, HandoverItem } from './device.ts'

/** The answers each use case of the device stock takes, as its forms (or another module) give them. */

/** What the referrals module offers for fulfilling a request (its service, by its manifest). */
export interface RequestLookup {
  openRequest(
    user: StaffUser,
    reference: string,
    kinds: readonly ('device' | 'connectivity')[],
  ): Promise<{ needId: string; personId: string; boroughId: string; askedAt: string }>
}

export interface NewDonation {
  library: string
  donorKind: 'organisation' | 'person'
  donorName: string
  donorEmail: string
  receivedOn: string
  description: string
}

export interface NewDevice {
  kind: DeviceKind
  makeModel: string
  serial: string
  identifier: string
  source: 'bought' | 'donated' | 'national-scheme'
  donation: string
  condition: string
  library: string
  network: string
  allowance: string
  activatedOn: string
  expiresOn: string
  voucherCode: string
}

export interface WipeInput {
  method: string
  standard: string
  tool: string
  wipedBy: string
  wipedOn: string
  certificateRef: string
}

export interface DisposalInput {
  outcome: 'recycled' | 'destroyed'
  recycler: string
  certificateRef: string
  disposedOn: string
}

/** Who gets the device: a referral's request by its reference, or a resident at the desk by name. */
export type Recipient = { reference: string } | { personName: string; phone?: string }

export interface AllocationInput {
  deviceId: string
  kind: 'loan' | 'gift'
  dueOn?: string
  recipient: Recipient
}

export interface HandoverInput {
  deviceId: string
  agreedName: string
  items: HandoverItem[]
  /** The channels the resident says are safe for reminders; none, and only staff are reminded. */
  remindBy?: ('text' | 'email')[]
}

export interface ReturnInput {
  deviceId: string
  items: HandoverItem[]
  condition: string
}

export interface StockQuery {
  kind?: DeviceKind
  status?: DeviceState
  library?: string
  text?: string
  page: number
}

export const STOCK_PAGE_SIZE = 50

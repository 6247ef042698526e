import type { Permission, StaffUser } from '#platform/access.ts'
import { newId } from '#platform/ids.ts'
import { luhnCheckDigit } from './device.ts'

export const CTX = { userId: null, actor: 'test', ip: '127.0.0.1', requestId: null }

export const COORDINATOR: Permission[] = [
  'devices.view',
  'devices.manage',
  'devices.vouchers',
  'devices.lend',
]

/** A member of staff with the device coordinator's permissions in the given boroughs. */
export function coordinator(boroughs: 'all' | string[], permissions: Permission[] = COORDINATOR): StaffUser {
  return {
    id: newId(),
    name: 'Dev Coordinator',
    email: 'devices@example.com',
    roles: ['device-coordinator'],
    permissions: new Set(permissions),
    boroughs,
  }
}

let serial = 0

/** A valid IMEI (15 digits, Luhn) that differs at each call. */
export function anImei(): string {
  serial++
  const partial = `35${String(Date.now() % 1e9).padStart(9, '0')}${String(serial % 1000).padStart(3, '0')}`
  return partial + luhnCheckDigit(partial)
}

/** A valid 19-digit ICCID. */
export function anIccid(): string {
  serial++
  const partial = `894410${String(Date.now() % 1e9).padStart(9, '0')}${String(serial % 1000).padStart(3, '0')}`
  return partial + luhnCheckDigit(partial)
}

/** A laptop form's answers; override any. */
export function laptop(library: string, overrides: Record<string, string> = {}) {
  serial++
  return {
    kind: 'laptop' as const,
    makeModel: 'Lenovo ThinkPad T480',
    serial: `PF-${Date.now()}-${serial}`,
    identifier: '',
    source: 'bought' as const,
    donation: '',
    condition: 'good',
    library,
    network: '',
    allowance: '',
    activatedOn: '',
    expiresOn: '',
    voucherCode: '',
    ...overrides,
  }
}

export const WIPE = {
  method: 'Purge',
  standard: 'NIST SP 800-88 Rev. 1',
  tool: 'Blancco Drive Eraser 7',
  wipedBy: 'Sam Tech',
  wipedOn: '2026-11-30',
  certificateRef: 'BLC-2026-0001',
}

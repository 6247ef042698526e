import type { Permission, StaffUser } from '#platform/access.ts'
import { newId } from '#platform/ids.ts'
import type { NewBooking } from './session.service.ts'

export const SESSION_PERMISSIONS: Permission[] = [
  'sessions.view',
  'sessions.manage',
  'sessions.book',
  'sessions.register',
]

/** A member of staff of these boroughs with the sessions permissions (all of them unless given). */
export function sessionsStaff(
  boroughs: string[] | 'all',
  permissions: Permission[] = SESSION_PERMISSIONS,
): StaffUser {
  return {
    id: newId(),
    name: 'Sam Staff',
    email: 'sam@example.org',
    roles: [],
    permissions: new Set(permissions),
    boroughs,
  }
}

/** What a resident answers when booking: by email, no phone, no carer; override any part. */
export function bookingAnswers(
  name: string,
  overrides: Partial<NewBooking> = {},
): Omit<NewBooking, 'occurrenceId'> {
  return {
    name,
    email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org`,
    phone: null,
    canEmail: true,
    canText: false,
    carerName: null,
    carerContact: null,
    carerConsent: false,
    ...overrides,
  }
}

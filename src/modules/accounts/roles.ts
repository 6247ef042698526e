import type { Permission } from '#platform/access.ts'

export interface RoleDefinition {
  code: string
  name: string
  description: string
  permissions: Permission[]
}

/**
 * The roles a new Hub starts with. They are loaded into the `roles` table at start; a council can add
 * its own rows there. Changing a shipped role here changes it everywhere at the next start.
 */
export const SHIPPED_ROLES: RoleDefinition[] = [
  {
    code: 'administrator',
    name: 'Administrator',
    description: 'Manages accounts, roles and scope; reads the audit and the outbox',
    permissions: ['users.manage', 'audit.view', 'outbox.view', 'reports.view'],
  },
  {
    code: 'manager',
    name: 'Manager',
    description: 'Sees every case and the reports of their boroughs',
    permissions: ['referrals.view', 'referrals.assign', 'reports.view'],
  },
  {
    code: 'triage-officer',
    name: 'Triage officer',
    description: 'Triages referrals, contacts residents and records outcomes',
    permissions: ['referrals.view', 'referrals.triage', 'referrals.assign'],
  },
  {
    code: 'home-library-coordinator',
    name: 'Home library coordinator',
    description: 'Runs Home Library Service members, rounds and visits',
    permissions: ['home-library.manage'],
  },
  {
    code: 'device-coordinator',
    name: 'Device coordinator',
    description: 'Runs the stock of devices and SIM cards, loans and gifts',
    permissions: ['devices.manage'],
  },
  {
    code: 'volunteer-coordinator',
    name: 'Volunteer coordinator',
    description: 'Recruits, checks, trains and rotas digital helpers',
    permissions: ['volunteers.manage'],
  },
  {
    code: 'partnership-lead',
    name: 'Partnership lead',
    description: 'Runs partner organisations, meetings, actions and the mailing list',
    permissions: ['partnership.manage'],
  },
  {
    code: 'directory-editor',
    name: 'Directory editor',
    description: 'Keeps libraries, services and access features up to date',
    permissions: ['directory.edit'],
  },
  {
    code: 'volunteer',
    name: 'Volunteer',
    description: 'A digital helper: sees their own rota and sessions',
    permissions: [],
  },
  {
    code: 'partner-referrer',
    name: 'Partner referrer',
    description: 'Refers residents and sees the status of their own referrals, never case notes',
    permissions: ['referrals.submit'],
  },
  {
    code: 'data-protection-officer',
    name: 'Data protection officer',
    description: 'Handles subject access, erasure and retention; reads the audit',
    permissions: ['privacy.manage', 'audit.view'],
  },
]

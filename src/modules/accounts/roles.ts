import type { RoleDeclaration } from '#platform/module.ts'

/**
 * The roles a new Hub starts with. Each module's manifest says which of them get its permissions; the
 * roles, with those permissions, are loaded into the `roles` table at start, and a council can add its
 * own rows there. Changing a shipped role here changes it everywhere at the next start.
 */
export const ROLES: RoleDeclaration[] = [
  {
    code: 'administrator',
    name: 'Administrator',
    description: 'Manages accounts, roles and scope; reads the audit and the outbox',
  },
  {
    code: 'manager',
    name: 'Manager',
    description: 'Sees every case and the reports of their boroughs',
  },
  {
    code: 'triage-officer',
    name: 'Triage officer',
    description: 'Triages referrals, contacts residents and records outcomes',
  },
  {
    code: 'home-library-coordinator',
    name: 'Home library coordinator',
    description: 'Runs Home Library Service members, rounds and visits',
  },
  {
    code: 'device-coordinator',
    name: 'Device coordinator',
    description: 'Runs the stock of devices and SIM cards, loans and gifts',
  },
  {
    code: 'volunteer-coordinator',
    name: 'Volunteer coordinator',
    description: 'Recruits, checks, trains and rotas digital helpers',
  },
  {
    code: 'partnership-lead',
    name: 'Partnership lead',
    description: 'Runs partner organisations, meetings, actions and the mailing list',
  },
  {
    code: 'directory-editor',
    name: 'Directory editor',
    description: 'Keeps libraries, services and access features up to date',
  },
  {
    code: 'volunteer',
    name: 'Volunteer',
    description: 'A digital helper: sees their own rota and sessions',
  },
  {
    code: 'partner-referrer',
    name: 'Partner referrer',
    description: 'Refers residents and sees the status of their own referrals, never case notes',
  },
  {
    code: 'data-protection-officer',
    name: 'Data protection officer',
    description: 'Handles subject access, erasure and retention; reads the audit',
  },
]

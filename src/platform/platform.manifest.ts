import { migration as m0001 } from './migrations/0001_platform.ts'
import { migration as m0015 } from './migrations/0015_partial_indexes_audit.ts'
import { migration as m0035 } from './migrations/0035_outbox_borough.ts'
import { migration as m0037 } from './migrations/0037_audit_key.ts'
import { migration as m0041 } from './migrations/0041_audit_search_indexes.ts'
import { migration as m0042 } from './migrations/0042_audit_record_index.ts'
import { migration as m0043 } from './migrations/0043_outbox_unpurged.ts'
import type { ModuleManifest } from './module.ts'

const permissions = {
  'audit.view': {
    description: 'Read the audit trail of who did what to which record',
    roles: ['administrator', 'data-protection-officer'],
  },
  'outbox.view': {
    description: 'Read the messages the Hub sends and send a parked one again',
    roles: ['administrator'],
  },
}

declare module './access.ts' {
  interface PermissionNames extends Record<keyof typeof permissions, true> {}
}

/**
 * What the platform brings, declared as a module's manifest is: its tables, its permissions, its words
 * (src/platform/locales). It is read before the registry's modules; it knows none of them. The roles its
 * permissions go to are shipped by the accounts module.
 */
export const platformManifest: ModuleManifest = {
  name: 'platform',
  folder: 'src/platform',
  permissions,
  migrations: {
    '0001_platform': m0001,
    '0015_partial_indexes_audit': m0015,
    '0035_outbox_borough': m0035,
    '0037_audit_key': m0037,
    '0041_audit_search_indexes': m0041,
    '0042_audit_record_index': m0042,
    '0043_outbox_unpurged': m0043,
  },
  personalData: {
    boroughs: {
      about: 'nobody',
      erasure: 'not-personal',
      columns: { id: 'none', code: 'none', name: 'none', short_name: 'none', created_at: 'none' },
    },
    sessions: {
      about: 'staff',
      erasure: 'expires',
      columns: {
        id_hash: 'secret',
        user_id: 'identity',
        created_at: 'none',
        last_seen_at: 'none',
        ip: 'personal',
      },
    },
    // Audit rows carry identifiers and field names, never personal values: erasing a person keeps the chain.
    audit_events: {
      about: 'staff',
      erasure: 'not-personal',
      columns: {
        id: 'none',
        seq: 'none',
        at: 'none',
        actor_user_id: 'identity',
        actor: 'none',
        action: 'none',
        record_type: 'none',
        record_id: 'none',
        fields_json: 'none',
        ip: 'personal',
        request_id: 'none',
        prev_hash: 'none',
        hash: 'none',
        key_id: 'none',
      },
    },
    audit_head: {
      about: 'nobody',
      erasure: 'not-personal',
      columns: { id: 'none', seq: 'none', hash: 'none' },
    },
    outbox: {
      about: 'resident',
      erasure: 'anonymise',
      columns: {
        id: 'none',
        channel: 'none',
        template: 'none',
        recipient: 'contact',
        personalisation_json: 'personal',
        status: 'none',
        attempts: 'none',
        next_attempt_at: 'none',
        claimed_until: 'none',
        last_error: 'none',
        created_at: 'none',
        sent_at: 'none',
        borough_id: 'none',
        purged_at: 'none',
      },
    },
    job_runs: { about: 'nobody', erasure: 'not-personal', columns: { name: 'none', last_run_at: 'none' } },
    // Keys are a form's address and the caller's IP address, kept for ten minutes.
    rate_limits: {
      about: 'resident',
      erasure: 'expires',
      columns: { key: 'personal', window_start: 'none', hits: 'none' },
    },
  },
  create: () => ({}),
}

import type { PersonalDataRegister } from '#platform/personal-data.ts'

/** Staff and volunteer accounts: who they are, how they sign in, what they may do. */
export const accountPersonalData: PersonalDataRegister = {
  users: {
    about: 'staff',
    erasure: 'anonymise',
    columns: {
      id: 'none',
      email: 'contact',
      name: 'identity',
      password_hash: 'secret',
      is_all_boroughs: 'none',
      disabled_at: 'none',
      password_changed_at: 'none',
      created_at: 'none',
      updated_at: 'none',
      organisation_id: 'none',
    },
  },
  roles: {
    about: 'nobody',
    erasure: 'not-personal',
    columns: { code: 'none', name: 'none', description: 'none', permissions_json: 'none' },
  },
  access_version: { about: 'nobody', erasure: 'not-personal', columns: { id: 'none', version: 'none' } },
  user_roles: { about: 'staff', erasure: 'with-parent', columns: { user_id: 'identity', role_code: 'none' } },
  user_boroughs: {
    about: 'staff',
    erasure: 'with-parent',
    columns: { user_id: 'identity', borough_id: 'none' },
  },
  sign_in_attempts: {
    about: 'staff',
    erasure: 'expires',
    columns: { id: 'none', email: 'contact', ip: 'personal', at: 'none' },
  },
  one_time_links: {
    about: 'staff',
    erasure: 'with-parent',
    columns: {
      id: 'none',
      token_hash: 'secret',
      purpose: 'none',
      user_id: 'identity',
      created_at: 'none',
      expires_at: 'none',
      used_at: 'none',
    },
  },
  api_keys: {
    about: 'nobody',
    erasure: 'not-personal',
    columns: {
      id: 'none',
      organisation_id: 'none',
      key_hash: 'secret',
      prefix: 'none',
      created_at: 'none',
      revoked_at: 'none',
      last_used_at: 'none',
    },
  },
}

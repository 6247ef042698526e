import type { PersonalDataRegister } from '#platform/personal-data.ts'

/**
 * A volunteer's application and pipeline. Their checks are criminal-offence data: only the level, the
 * certificate's number and dates are kept, seen by the volunteer coordinator alone, each view audited.
 */
export const volunteersPersonalData: PersonalDataRegister = {
  volunteers: {
    about: 'volunteer',
    erasure: 'anonymise',
    columns: {
      id: 'none',
      borough_id: 'none',
      user_id: 'identity',
      name: 'identity',
      email: 'contact',
      phone: 'contact',
      availability_json: 'personal',
      languages: 'personal',
      skills: 'personal',
      libraries_json: 'none',
      referees: 'contact',
      consents_json: 'personal',
      status: 'none',
      left_reason: 'personal',
      applied_at: 'none',
      waiting_reminded_at: 'none',
      created_at: 'none',
      updated_at: 'none',
    },
  },
  volunteer_steps: {
    about: 'volunteer',
    erasure: 'with-parent',
    columns: {
      id: 'none',
      volunteer_id: 'identity',
      status: 'none',
      reason: 'personal',
      moved_by_user_id: 'none',
      moved_by_name: 'identity',
      moved_at: 'none',
    },
  },
  volunteer_checks: {
    about: 'volunteer',
    erasure: 'delete',
    columns: {
      id: 'none',
      volunteer_id: 'identity',
      dbs_level: 'criminal-offence',
      has_barred_list: 'criminal-offence',
      certificate_number: 'criminal-offence',
      issued_on: 'criminal-offence',
      is_on_update_service: 'criminal-offence',
      status_checked_on: 'criminal-offence',
      renews_on: 'criminal-offence',
      references_received: 'personal',
      updated_at: 'none',
    },
  },
  volunteer_drafts: {
    about: 'volunteer',
    erasure: 'expires',
    columns: { id: 'none', token_hash: 'secret', answers_json: 'personal', expires_at: 'none' },
  },
}

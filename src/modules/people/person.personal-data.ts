import type { PersonalDataRegister } from '#platform/personal-data.ts'

/** The resident record every module shares. */
export const personPersonalData: PersonalDataRegister = {
  people: {
    about: 'resident',
    erasure: 'anonymise',
    columns: {
      id: 'none',
      borough_id: 'none',
      full_name: 'identity',
      name_key: 'identity',
      date_of_birth: 'identity',
      age_range: 'identity',
      phone: 'contact',
      phone_key: 'contact',
      email: 'contact',
      email_key: 'contact',
      postcode: 'contact',
      preferred_language: 'personal',
      merged_into_id: 'none',
      created_at: 'none',
      updated_at: 'none',
    },
  },
  person_distinct_pairs: {
    about: 'resident',
    erasure: 'with-parent',
    columns: {
      person_a_id: 'identity',
      person_b_id: 'identity',
      decided_by_user_id: 'none',
      decided_at: 'none',
    },
  },
}

import type { PersonalDataRegister } from '#platform/personal-data.ts'

/**
 * A referral's answers hold health and disability details (what help is needed and why), so they are
 * special category data; events hold staff notes about the resident.
 */
export const referralPersonalData: PersonalDataRegister = {
  referrals: {
    about: 'resident',
    erasure: 'anonymise',
    columns: {
      id: 'none',
      reference: 'identity',
      borough_id: 'none',
      person_id: 'identity',
      source: 'none',
      referrer_organisation_id: 'none',
      status: 'none',
      resident_name: 'identity',
      name_key: 'identity',
      postcode: 'contact',
      answers_json: 'special-category',
      referrer_json: 'contact',
      privacy_notice_version: 'none',
      consent_at: 'none',
      journey_token_hash: 'secret',
      tracking_words_hash: 'secret',
      idempotency_key: 'none',
      idempotency_hash: 'none',
      assigned_user_id: 'none',
      assigned_name: 'none',
      created_at: 'none',
      updated_at: 'none',
    },
  },
  // The words of the name and postcode: erasing the resident deletes them, whatever stays of the referral.
  referral_search_words: {
    about: 'resident',
    erasure: 'delete',
    columns: { referral_id: 'none', word: 'identity', borough_id: 'none', created_at: 'none' },
  },
  referral_needs: {
    about: 'resident',
    erasure: 'anonymise',
    columns: {
      id: 'none',
      referral_id: 'none',
      kind: 'personal',
      details_json: 'special-category',
      status: 'none',
      outcome: 'none',
      team_code: 'none',
      declined_reason: 'personal',
      signposting: 'personal',
      created_at: 'none',
      updated_at: 'none',
    },
  },
  referral_events: {
    about: 'resident',
    erasure: 'anonymise',
    columns: {
      id: 'none',
      referral_id: 'none',
      need_id: 'none',
      kind: 'none',
      from_status: 'none',
      to_status: 'none',
      outcome: 'none',
      detail_json: 'personal',
      note: 'special-category',
      user_id: 'none',
      user_name: 'none',
      at: 'none',
    },
  },
  referral_journeys: {
    about: 'resident',
    erasure: 'expires',
    columns: {
      token_hash: 'secret',
      answers_json: 'special-category',
      referral_id: 'none',
      created_at: 'none',
      updated_at: 'none',
      expires_at: 'none',
    },
  },
  referral_digests: {
    about: 'nobody',
    erasure: 'not-personal',
    columns: { team_code: 'none', day: 'none', sent_at: 'none' },
  },
}

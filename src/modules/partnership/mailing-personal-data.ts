import type { PersonalDataRegister } from '#platform/personal-data.ts'

/** The mailing list's and bulletins' tables: subscribers are partners' staff and members of the public. */
export const mailingPersonalData: PersonalDataRegister = {
  mailing_lists: {
    about: 'nobody',
    erasure: 'not-personal',
    columns: { id: 'none', code: 'none', created_at: 'none' },
  },
  mailing_wordings: {
    about: 'nobody',
    erasure: 'not-personal',
    columns: { id: 'none', sha256: 'none', wording: 'none', first_shown_at: 'none' },
  },
  mailing_subscribers: {
    about: 'partner contact',
    erasure: 'delete',
    columns: {
      id: 'none',
      email: 'contact',
      bounce_score: 'personal',
      stopped_reason: 'personal',
      stopped_at: 'personal',
      created_at: 'none',
    },
  },
  mailing_signups: {
    about: 'partner contact',
    erasure: 'with-parent',
    columns: {
      id: 'none',
      subscriber_id: 'identity',
      list_codes_json: 'personal',
      wording_id: 'none',
      signed_up_at: 'personal',
      signed_up_ip: 'personal',
      token_hash: 'secret',
      expires_at: 'none',
      confirmed_at: 'personal',
      confirmed_ip: 'personal',
    },
  },
  mailing_subscriptions: {
    about: 'partner contact',
    erasure: 'with-parent',
    columns: {
      id: 'none',
      subscriber_id: 'identity',
      list_id: 'none',
      signup_id: 'none',
      status: 'personal',
      subscribed_at: 'personal',
      unsubscribed_at: 'personal',
      unsubscribed_how: 'personal',
    },
  },
  bulletins: {
    about: 'nobody',
    erasure: 'not-personal',
    columns: {
      id: 'none',
      title: 'none',
      body: 'none',
      status: 'none',
      list_id: 'none',
      meeting_id: 'none',
      created_by: 'none',
      created_at: 'none',
      updated_at: 'none',
      sent_by: 'none',
      sent_at: 'none',
    },
  },
  bulletin_recipients: {
    about: 'partner contact',
    erasure: 'with-parent',
    columns: {
      id: 'none',
      bulletin_id: 'none',
      subscriber_id: 'identity',
      outbox_id: 'none',
      status: 'personal',
      updated_at: 'none',
    },
  },
}

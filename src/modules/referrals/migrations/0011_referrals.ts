import type { HubMigration } from '#platform/migrate.ts'

/** Referrals, one request per need, their history, journeys in progress and the daily digests sent. */
export const migration: HubMigration = {
  async up(db, t) {
    await t
      .table(db, 'referrals')
      .addColumn('reference', t.text, (c) => c.notNull().unique())
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      .addColumn('person_id', t.id, (c) => c.notNull().references('people.id'))
      .addColumn('source', t.text, (c) => c.notNull())
      .addColumn('referrer_organisation_id', t.id)
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('resident_name', t.text, (c) => c.notNull())
      .addColumn('name_key', t.text, (c) => c.notNull())
      .addColumn('postcode', t.text)
      .addColumn('answers_json', t.json('answers_json'), (c) => c.notNull())
      .addColumn('referrer_json', t.json('referrer_json'))
      .addColumn('privacy_notice_version', t.text, (c) => c.notNull())
      .addColumn('consent_at', t.timestamp, (c) => c.notNull())
      .addColumn('journey_token_hash', t.text, (c) => c.unique())
      .addColumn('idempotency_key', t.text)
      .addColumn('idempotency_hash', t.text)
      .addColumn('assigned_user_id', t.id)
      .addColumn('assigned_name', t.text)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('referrals_idempotency')
      .on('referrals')
      .columns(['referrer_organisation_id', 'idempotency_key'])
      .unique()
      .execute()
    await db.schema
      .createIndex('referrals_borough_created')
      .on('referrals')
      .columns(['borough_id', 'created_at'])
      .execute()
    await db.schema.createIndex('referrals_person').on('referrals').column('person_id').execute()
    await db.schema.createIndex('referrals_name').on('referrals').column('name_key').execute()
    await db.schema.createIndex('referrals_assigned').on('referrals').column('assigned_user_id').execute()

    await t
      .table(db, 'referral_needs')
      .addColumn('referral_id', t.id, (c) => c.notNull().references('referrals.id'))
      .addColumn('kind', t.text, (c) => c.notNull())
      .addColumn('details_json', t.json('details_json'), (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('outcome', t.text)
      .addColumn('team_code', t.text, (c) => c.notNull())
      .addColumn('declined_reason', t.text)
      .addColumn('signposting', t.text)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('referral_needs_referral')
      .on('referral_needs')
      .column('referral_id')
      .execute()
    await db.schema
      .createIndex('referral_needs_status_updated')
      .on('referral_needs')
      .columns(['status', 'updated_at'])
      .execute()

    await t
      .table(db, 'referral_events')
      .addColumn('referral_id', t.id, (c) => c.notNull().references('referrals.id'))
      .addColumn('need_id', t.id)
      .addColumn('kind', t.text, (c) => c.notNull())
      .addColumn('from_status', t.text)
      .addColumn('to_status', t.text)
      .addColumn('outcome', t.text)
      .addColumn('detail_json', t.json('detail_json'))
      .addColumn('note', t.text)
      .addColumn('user_id', t.id)
      .addColumn('user_name', t.text)
      .addColumn('at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('referral_events_referral')
      .on('referral_events')
      .columns(['referral_id', 'at'])
      .execute()

    await db.schema
      .createTable('referral_journeys')
      .addColumn('token_hash', t.text, (c) => c.primaryKey())
      .addColumn('answers_json', t.json('answers_json'), (c) => c.notNull())
      .addColumn('referral_id', t.id)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addColumn('expires_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('referral_journeys_expires')
      .on('referral_journeys')
      .column('expires_at')
      .execute()

    await db.schema
      .createTable('referral_digests')
      .addColumn('team_code', t.text, (c) => c.notNull())
      .addColumn('day', t.date, (c) => c.notNull())
      .addColumn('sent_at', t.timestamp, (c) => c.notNull())
      .addPrimaryKeyConstraint('referral_digests_pk', ['team_code', 'day'])
      .execute()
  },
}

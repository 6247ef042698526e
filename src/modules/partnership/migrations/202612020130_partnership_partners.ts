import type { HubMigration } from '#platform/migrate.ts'

/**
 * Partners are the directory's organisations: these tables add what the partnership knows about them
 * (keyed by the organisation's id), their contacts, the data-sharing agreements register and every
 * disclosure of a resident's data made under an agreement.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await t
      .table(db, 'partner_profiles')
      .addColumn('organisation_id', t.id, (c) => c.notNull().unique().references('organisations.id'))
      .addColumn('partner_type', t.text, (c) => c.notNull())
      .addColumn('boroughs_json', t.json('boroughs_json'), (c) => c.notNull())
      .addColumn('charity_number', t.text)
      .addColumn('company_number', t.text)
      .addColumn('offers', t.text, (c) => c.notNull())
      .addColumn('needs', t.text, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()

    await t
      .table(db, 'partner_contacts')
      .addColumn('organisation_id', t.id, (c) => c.notNull().references('organisations.id'))
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('role', t.text, (c) => c.notNull())
      .addColumn('email', t.text)
      .addColumn('phone', t.text)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('partner_contacts_organisation')
      .on('partner_contacts')
      .column('organisation_id')
      .execute()

    await t
      .table(db, 'sharing_agreements')
      .addColumn('organisation_id', t.id, (c) => c.notNull().references('organisations.id'))
      .addColumn('title', t.text, (c) => c.notNull())
      .addColumn('purpose', t.text, (c) => c.notNull())
      .addColumn('purposes_json', t.json('purposes_json'), (c) => c.notNull())
      .addColumn('parties', t.text, (c) => c.notNull())
      .addColumn('data_items_json', t.json('data_items_json'), (c) => c.notNull())
      .addColumn('lawful_basis', t.text, (c) => c.notNull())
      .addColumn('special_category', t.text)
      .addColumn('special_condition', t.text)
      .addColumn('rights', t.text, (c) => c.notNull())
      .addColumn('retention', t.text, (c) => c.notNull())
      .addColumn('security', t.text, (c) => c.notNull())
      .addColumn('starts_on', t.date, (c) => c.notNull())
      .addColumn('review_on', t.date, (c) => c.notNull())
      .addColumn('signed_off_by', t.text)
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('lapse_warned_for', t.date)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('sharing_agreements_organisation')
      .on('sharing_agreements')
      .columns(['organisation_id', 'status'])
      .execute()

    await t
      .table(db, 'sharing_disclosures')
      .addColumn('agreement_id', t.id, (c) => c.notNull().references('sharing_agreements.id'))
      .addColumn('organisation_id', t.id, (c) => c.notNull())
      .addColumn('purpose', t.text, (c) => c.notNull())
      .addColumn('data_items_json', t.json('data_items_json'), (c) => c.notNull())
      .addColumn('referral_id', t.id)
      .addColumn('borough_id', t.id)
      .addColumn('user_id', t.id)
      .addColumn('at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('sharing_disclosures_agreement')
      .on('sharing_disclosures')
      .columns(['agreement_id', 'at'])
      .execute()
  },
}

import type { HubMigration } from '#platform/migrate.ts'

/**
 * The directory proper: taxonomy (needs and access features), services, where and when they run,
 * languages and contacts, the digital library's online resources, live capacity, and opening hours
 * of places with their exceptions (bank holidays).
 */
export const migration: HubMigration = {
  async up(db, t) {
    // Organisations and locations from 0003 gain what the directory publishes about them.
    await db.schema
      .alterTable('organisations')
      .addColumn('kind', t.text, (c) => c.notNull().defaultTo('partner'))
      .execute()
    for (const column of ['phone', 'source', 'source_id']) {
      await db.schema.alterTable('organisations').addColumn(column, t.text).execute()
    }
    await db.schema
      .createIndex('organisations_source')
      .on('organisations')
      .columns(['source', 'source_id'])
      .unique()
      .execute()

    for (const column of ['description', 'how_to_get_there', 'phone', 'email', 'source', 'source_id']) {
      await db.schema.alterTable('locations').addColumn(column, t.text).execute()
    }
    await db.schema.alterTable('locations').addColumn('public_computers', t.integer).execute()
    await db.schema.alterTable('locations').addColumn('assured_date', t.date).execute()
    await db.schema.alterTable('locations').addColumn('review_reminded_at', t.timestamp).execute()
    await db.schema
      .createIndex('locations_source')
      .on('locations')
      .columns(['source', 'source_id'])
      .unique()
      .execute()
    await db.schema
      .createIndex('locations_lat_lng')
      .on('locations')
      .columns(['latitude', 'longitude'])
      .execute()

    await t
      .table(db, 'taxonomies')
      .addColumn('code', t.text, (c) => c.notNull().unique())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('description', t.text, (c) => c.notNull())
      .addColumn('uri', t.text)
      .addColumn('version', t.text)
      .execute()

    await t
      .table(db, 'taxonomy_terms')
      .addColumn('taxonomy_id', t.id, (c) => c.notNull().references('taxonomies.id'))
      .addColumn('code', t.text, (c) => c.notNull())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('description', t.text, (c) => c.notNull())
      .addColumn('parent_id', t.id, (c) => c.references('taxonomy_terms.id'))
      .addColumn('term_uri', t.text)
      .addColumn('sort_order', t.integer, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('taxonomy_terms_code')
      .on('taxonomy_terms')
      .columns(['taxonomy_id', 'code'])
      .unique()
      .execute()

    await t
      .table(db, 'services')
      .addColumn('code', t.text, (c) => c.notNull().unique())
      .addColumn('organisation_id', t.id, (c) => c.notNull().references('organisations.id'))
      // null: a service of the whole partnership, shown in every borough
      .addColumn('borough_id', t.id, (c) => c.references('boroughs.id'))
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('description', t.text, (c) => c.notNull())
      .addColumn('who_for', t.text)
      .addColumn('eligibility', t.text)
      .addColumn('cost', t.text)
      .addColumn('is_free', t.bool('is_free'), (c) => c.notNull())
      .addColumn('how_to_get', t.text, (c) => c.notNull())
      .addColumn('how_to_get_details', t.text)
      .addColumn('url', t.text)
      .addColumn('email', t.text)
      .addColumn('phone', t.text)
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('alert', t.text)
      .addColumn('minimum_age', t.integer)
      .addColumn('maximum_age', t.integer)
      .addColumn('assured_date', t.date)
      .addColumn('owner_email', t.text)
      .addColumn('review_reminded_at', t.timestamp)
      .addColumn('source', t.text)
      .addColumn('source_id', t.text)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('services_status_name')
      .on('services')
      .columns(['status', 'name', 'id'])
      .execute()
    await db.schema.createIndex('services_organisation').on('services').column('organisation_id').execute()
    await db.schema.createIndex('services_updated').on('services').column('updated_at').execute()
    await db.schema.createIndex('services_borough').on('services').column('borough_id').execute()
    await db.schema.createIndex('services_assured').on('services').column('assured_date').execute()
    await db.schema
      .createIndex('services_source')
      .on('services')
      .columns(['source', 'source_id'])
      .unique()
      .execute()

    await t
      .table(db, 'service_terms')
      .addColumn('service_id', t.id, (c) => c.notNull().references('services.id').onDelete('cascade'))
      .addColumn('term_id', t.id, (c) => c.notNull().references('taxonomy_terms.id'))
      .execute()
    await db.schema
      .createIndex('service_terms_pair')
      .on('service_terms')
      .columns(['service_id', 'term_id'])
      .unique()
      .execute()
    await db.schema
      .createIndex('service_terms_term')
      .on('service_terms')
      .columns(['term_id', 'service_id'])
      .execute()

    await t
      .table(db, 'service_languages')
      .addColumn('service_id', t.id, (c) => c.notNull().references('services.id').onDelete('cascade'))
      .addColumn('code', t.text, (c) => c.notNull())
      .addColumn('name', t.text, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('service_languages_pair')
      .on('service_languages')
      .columns(['service_id', 'code'])
      .unique()
      .execute()

    await t
      .table(db, 'service_contacts')
      .addColumn('service_id', t.id, (c) => c.notNull().references('services.id').onDelete('cascade'))
      .addColumn('name', t.text)
      .addColumn('title', t.text)
      .addColumn('phone', t.text)
      .addColumn('email', t.text)
      .execute()
    await db.schema
      .createIndex('service_contacts_service')
      .on('service_contacts')
      .column('service_id')
      .execute()

    await t
      .table(db, 'service_at_locations')
      .addColumn('service_id', t.id, (c) => c.notNull().references('services.id').onDelete('cascade'))
      .addColumn('location_id', t.id, (c) => c.notNull().references('locations.id'))
      .addColumn('description', t.text)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('service_at_locations_pair')
      .on('service_at_locations')
      .columns(['service_id', 'location_id'])
      .unique()
      .execute()
    await db.schema
      .createIndex('service_at_locations_location')
      .on('service_at_locations')
      .columns(['location_id', 'service_id'])
      .execute()

    // One row per weekday a thing is open or runs. Exactly one of service_id / location_id is set;
    // a service's row may also name the service_at_location it applies to.
    await t
      .table(db, 'schedules')
      .addColumn('service_id', t.id, (c) => c.references('services.id').onDelete('cascade'))
      .addColumn('service_at_location_id', t.id, (c) =>
        c.references('service_at_locations.id').onDelete('cascade'),
      )
      .addColumn('location_id', t.id, (c) => c.references('locations.id').onDelete('cascade'))
      .addColumn('weekday', t.integer, (c) => c.notNull()) // 1 Monday ... 7 Sunday (ISO)
      .addColumn('opens_at', t.text, (c) => c.notNull()) // HH:MM, London time
      .addColumn('closes_at', t.text, (c) => c.notNull())
      .addColumn('freq', t.text, (c) => c.notNull()) // WEEKLY, or MONTHLY with bymonthday
      .addColumn('description', t.text)
      .addColumn('valid_from', t.date)
      .addColumn('valid_to', t.date)
      .execute()
    await db.schema
      .createIndex('schedules_service')
      .on('schedules')
      .columns(['service_id', 'weekday'])
      .execute()
    await db.schema
      .createIndex('schedules_location')
      .on('schedules')
      .columns(['location_id', 'weekday'])
      .execute()
    await db.schema.createIndex('schedules_sal').on('schedules').column('service_at_location_id').execute()

    await t
      .table(db, 'opening_exceptions')
      .addColumn('location_id', t.id, (c) => c.notNull().references('locations.id').onDelete('cascade'))
      .addColumn('date', t.date, (c) => c.notNull())
      .addColumn('is_closed', t.bool('is_closed'), (c) => c.notNull())
      .addColumn('opens_at', t.text)
      .addColumn('closes_at', t.text)
      .addColumn('reason', t.text, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('opening_exceptions_day')
      .on('opening_exceptions')
      .columns(['location_id', 'date'])
      .unique()
      .execute()

    await t
      .table(db, 'location_features')
      .addColumn('location_id', t.id, (c) => c.notNull().references('locations.id').onDelete('cascade'))
      .addColumn('term_id', t.id, (c) => c.notNull().references('taxonomy_terms.id'))
      .addColumn('details', t.text)
      .execute()
    await db.schema
      .createIndex('location_features_pair')
      .on('location_features')
      .columns(['location_id', 'term_id'])
      .unique()
      .execute()
    await db.schema
      .createIndex('location_features_term')
      .on('location_features')
      .columns(['term_id', 'location_id'])
      .execute()

    await t
      .table(db, 'online_resources')
      .addColumn('code', t.text, (c) => c.notNull().unique())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('description', t.text, (c) => c.notNull())
      .addColumn('category', t.text, (c) => c.notNull())
      .addColumn('access', t.text, (c) => c.notNull())
      .addColumn('url', t.text, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('online_resources_category')
      .on('online_resources')
      .column('category')
      .execute()

    // Live capacity other modules report (devices free, next session places): HSDS 3.1 service_capacity.
    await t
      .table(db, 'service_capacities')
      .addColumn('service_id', t.id, (c) => c.notNull().references('services.id').onDelete('cascade'))
      .addColumn('unit', t.text, (c) => c.notNull())
      .addColumn('available', t.integer, (c) => c.notNull())
      .addColumn('maximum', t.integer)
      .addColumn('description', t.text)
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('service_capacities_unit')
      .on('service_capacities')
      .columns(['service_id', 'unit'])
      .unique()
      .execute()

    // "Report a problem with this page": kept until an editor closes it; the owner is told by email.
    await t
      .table(db, 'directory_problems')
      .addColumn('record_type', t.text, (c) => c.notNull())
      .addColumn('record_id', t.id, (c) => c.notNull())
      .addColumn('details', t.text, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('resolved_at', t.timestamp)
      .execute()
    await db.schema
      .createIndex('directory_problems_open')
      .on('directory_problems')
      .columns(['resolved_at', 'created_at'])
      .execute()
  },
}

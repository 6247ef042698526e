import type { HubMigration } from '#platform/migrate.ts'

/** Members and their history, requests from referrals, rounds and stops, visits, items and device help. */
export const migration: HubMigration = {
  async up(db, t) {
    await t
      .table(db, 'home_library_members')
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      .addColumn('person_id', t.id, (c) => c.notNull().references('people.id'))
      // The referral's request the member came from: one member per request, whoever clicks first.
      .addColumn('need_id', t.id, (c) => c.unique())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('basis', t.text, (c) => c.notNull())
      .addColumn('evidence', t.text, (c) => c.notNull())
      .addColumn('review_on', t.date)
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('paused_until', t.date)
      .addColumn('left_reason', t.text)
      .addColumn('joined_on', t.date, (c) => c.notNull())
      .addColumn('left_on', t.date)
      .addColumn('delivery_day', t.integer, (c) => c.notNull())
      .addColumn('day_part', t.text, (c) => c.notNull())
      .addColumn('frequency', t.text, (c) => c.notNull())
      .addColumn('starts_on', t.date, (c) => c.notNull())
      .addColumn('max_items', t.integer, (c) => c.notNull())
      .addColumn('formats_json', t.json('formats_json'), (c) => c.notNull())
      .addColumn('likes', t.text, (c) => c.notNull())
      .addColumn('dislikes', t.text, (c) => c.notNull())
      .addColumn('access_notes', t.text, (c) => c.notNull())
      .addColumn('emergency_contact', t.text, (c) => c.notNull())
      .addColumn('communication_json', t.json('communication_json'), (c) => c.notNull())
      .addColumn('is_digital_support_wanted', t.bool('is_digital_support_wanted'), (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('home_library_members_borough')
      .on('home_library_members')
      .columns(['borough_id', 'status', 'name'])
      .execute()
    await db.schema
      .createIndex('home_library_members_person')
      .on('home_library_members')
      .column('person_id')
      .execute()

    // Each change of status, dated: "active members on any date" is read from here.
    await t
      .table(db, 'home_library_member_changes')
      .addColumn('member_id', t.id, (c) => c.notNull().references('home_library_members.id'))
      .addColumn('borough_id', t.id, (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('reason', t.text)
      .addColumn('is_joining', t.bool('is_joining'), (c) => c.notNull())
      .addColumn('changed_on', t.date, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('home_library_member_changes_member')
      .on('home_library_member_changes')
      .columns(['member_id', 'changed_on'])
      .execute()
    await db.schema
      .createIndex('home_library_member_changes_borough')
      .on('home_library_member_changes')
      .columns(['borough_id', 'changed_on'])
      .execute()

    // Home Library requests routed by triage, waiting to become members (id: the referral need's id).
    await t
      .table(db, 'home_library_requests')
      .addColumn('referral_id', t.id, (c) => c.notNull())
      .addColumn('person_id', t.id, (c) => c.notNull())
      .addColumn('borough_id', t.id, (c) => c.notNull())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('basis', t.text, (c) => c.notNull())
      .addColumn('interests', t.text, (c) => c.notNull())
      .addColumn('routed_at', t.timestamp, (c) => c.notNull())
      .addColumn('member_id', t.id)
      .execute()
    await db.schema
      .createIndex('home_library_requests_borough')
      .on('home_library_requests')
      .columns(['borough_id', 'routed_at'])
      .execute()

    await t
      .table(db, 'home_library_rounds')
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('library', t.text, (c) => c.notNull())
      .addColumn('weekday', t.integer, (c) => c.notNull())
      .addColumn('deliverer_user_id', t.id, (c) => c.notNull())
      .addColumn('deliverer_name', t.text, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('home_library_rounds_borough')
      .on('home_library_rounds')
      .columns(['borough_id', 'weekday'])
      .execute()

    await t
      .table(db, 'home_library_stops')
      .addColumn('round_id', t.id, (c) => c.notNull().references('home_library_rounds.id'))
      .addColumn('member_id', t.id, (c) => c.notNull().references('home_library_members.id'))
      .addColumn('weekday', t.integer, (c) => c.notNull())
      .addColumn('position', t.integer, (c) => c.notNull())
      .execute()
    // A member is on one round a day: two coordinators adding them at once, one wins.
    await db.schema
      .createIndex('home_library_stops_member_day')
      .on('home_library_stops')
      .columns(['member_id', 'weekday'])
      .unique()
      .execute()
    await db.schema
      .createIndex('home_library_stops_round')
      .on('home_library_stops')
      .columns(['round_id', 'position'])
      .execute()

    await t
      .table(db, 'home_library_visits')
      .addColumn('member_id', t.id, (c) => c.notNull().references('home_library_members.id'))
      .addColumn('borough_id', t.id, (c) => c.notNull())
      .addColumn('due_on', t.date, (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('missed_reason', t.text)
      .addColumn('digital_minutes', t.integer, (c) => c.notNull())
      .addColumn('digital_help', t.text, (c) => c.notNull())
      .addColumn('recorded_by_user_id', t.id)
      .addColumn('recorded_at', t.timestamp)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('home_library_visits_member_day')
      .on('home_library_visits')
      .columns(['member_id', 'due_on'])
      .unique()
      .execute()
    await db.schema
      .createIndex('home_library_visits_borough_day')
      .on('home_library_visits')
      .columns(['borough_id', 'due_on', 'status'])
      .execute()

    await t
      .table(db, 'home_library_items')
      .addColumn('member_id', t.id, (c) => c.notNull().references('home_library_members.id'))
      .addColumn('borough_id', t.id, (c) => c.notNull())
      .addColumn('visit_id', t.id, (c) => c.notNull().references('home_library_visits.id'))
      .addColumn('title', t.text, (c) => c.notNull())
      .addColumn('author', t.text, (c) => c.notNull())
      .addColumn('format', t.text, (c) => c.notNull())
      .addColumn('identifier', t.text, (c) => c.notNull())
      .addColumn('match_key', t.text, (c) => c.notNull())
      .addColumn('delivered_on', t.date, (c) => c.notNull())
      .addColumn('collected_on', t.date)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('home_library_items_member')
      .on('home_library_items')
      .columns(['member_id', 'match_key'])
      .execute()
    await db.schema
      .createIndex('home_library_items_borough_day')
      .on('home_library_items')
      .columns(['borough_id', 'delivered_on'])
      .execute()

    await t
      .table(db, 'home_library_device_help')
      .addColumn('member_id', t.id, (c) => c.notNull().references('home_library_members.id'))
      .addColumn('borough_id', t.id, (c) => c.notNull())
      .addColumn('kind', t.text, (c) => c.notNull())
      .addColumn('device', t.text, (c) => c.notNull())
      .addColumn('help', t.text, (c) => c.notNull())
      .addColumn('given_on', t.date, (c) => c.notNull())
      .addColumn('recorded_by_user_id', t.id, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('home_library_device_help_member')
      .on('home_library_device_help')
      .columns(['member_id', 'given_on'])
      .execute()
    // The figures' counts, kept as visits are recorded, so a year's figures never read every visit.
    await t
      .table(db, 'home_library_daily_counts')
      .addColumn('borough_id', t.id, (c) => c.notNull())
      .addColumn('day', t.date, (c) => c.notNull())
      .addColumn('measure', t.text, (c) => c.notNull())
      .addColumn('n', t.integer, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('home_library_daily_counts_key')
      .on('home_library_daily_counts')
      .columns(['borough_id', 'day', 'measure'])
      .unique()
      .execute()
    // Who was visited in which year: the figures' "different people visited".
    await t
      .table(db, 'home_library_visited_years')
      .addColumn('member_id', t.id, (c) => c.notNull())
      .addColumn('person_id', t.id, (c) => c.notNull())
      .addColumn('borough_id', t.id, (c) => c.notNull())
      .addColumn('year', t.integer, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('home_library_visited_years_key')
      .on('home_library_visited_years')
      .columns(['member_id', 'year'])
      .unique()
      .execute()
  },
}

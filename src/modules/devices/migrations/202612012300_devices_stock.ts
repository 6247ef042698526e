import { sql } from 'kysely'
import type { HubMigration } from '#platform/migrate.ts'

/**
 * The device stock: donations taken in, devices and SIM cards, their wipes, disposals, allocations (loans
 * and gifts) and every move of their lifecycle. Two unique indexes keep the stock honest whatever the
 * code does: a serial is never entered twice, and a device has at most one open allocation.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await t
      .table(db, 'device_donations')
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      .addColumn('donor_kind', t.text, (c) => c.notNull())
      .addColumn('donor_name', t.text, (c) => c.notNull())
      .addColumn('donor_email', t.text)
      .addColumn('received_on', t.date, (c) => c.notNull())
      .addColumn('description', t.text, (c) => c.notNull())
      .addColumn('created_by_user_id', t.id)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute()

    await t
      .table(db, 'devices')
      .addColumn('kind', t.text, (c) => c.notNull())
      .addColumn('make_model', t.text, (c) => c.notNull())
      .addColumn('serial', t.text)
      .addColumn('imei', t.text)
      .addColumn('iccid', t.text)
      .addColumn('asset_tag', t.text, (c) => c.notNull().unique())
      .addColumn('source', t.text, (c) => c.notNull())
      .addColumn('donation_id', t.id, (c) => c.references('device_donations.id'))
      .addColumn('condition', t.text, (c) => c.notNull())
      .addColumn('library_id', t.id, (c) => c.notNull().references('locations.id'))
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('network', t.text)
      .addColumn('allowance', t.text)
      .addColumn('activated_on', t.date)
      .addColumn('expires_on', t.date)
      .addColumn('voucher_code', t.text)
      .addColumn('last_returned_at', t.timestamp)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('devices_serial')
      .on('devices')
      .column('serial')
      .unique()
      .where('serial', 'is not', null)
      .execute()
    await db.schema
      .createIndex('devices_stock')
      .on('devices')
      .columns(['borough_id', 'status', 'kind', 'library_id'])
      .execute()
    await db.schema
      .createIndex('devices_expiry')
      .on('devices')
      .column('expires_on')
      .where('expires_on', 'is not', null)
      .execute()
    await db.schema
      .createIndex('devices_donation')
      .on('devices')
      .column('donation_id')
      .where('donation_id', 'is not', null)
      .execute()

    await t
      .table(db, 'device_wipes')
      .addColumn('device_id', t.id, (c) => c.notNull().references('devices.id'))
      .addColumn('method', t.text, (c) => c.notNull())
      .addColumn('standard', t.text, (c) => c.notNull())
      .addColumn('tool', t.text, (c) => c.notNull())
      .addColumn('wiped_by', t.text, (c) => c.notNull())
      .addColumn('wiped_on', t.date, (c) => c.notNull())
      .addColumn('certificate_ref', t.text, (c) => c.notNull())
      .addColumn('recorded_by_user_id', t.id)
      .addColumn('recorded_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema.createIndex('device_wipes_device').on('device_wipes').column('device_id').execute()

    await t
      .table(db, 'device_disposals')
      .addColumn('device_id', t.id, (c) => c.notNull().unique().references('devices.id'))
      .addColumn('outcome', t.text, (c) => c.notNull())
      .addColumn('recycler', t.text, (c) => c.notNull())
      .addColumn('certificate_ref', t.text, (c) => c.notNull())
      .addColumn('disposed_on', t.date, (c) => c.notNull())
      .addColumn('recorded_by_user_id', t.id)
      .addColumn('recorded_at', t.timestamp, (c) => c.notNull())
      .execute()

    await t
      .table(db, 'device_allocations')
      .addColumn('device_id', t.id, (c) => c.notNull().references('devices.id'))
      .addColumn('person_id', t.id, (c) => c.notNull().references('people.id'))
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      .addColumn('kind', t.text, (c) => c.notNull())
      .addColumn('via', t.text, (c) => c.notNull())
      .addColumn('referral_need_id', t.id)
      .addColumn('requested_at', t.timestamp)
      .addColumn('due_on', t.date)
      .addColumn('allocated_by_user_id', t.id)
      .addColumn('allocated_at', t.timestamp, (c) => c.notNull())
      .addColumn('agreement_version', t.text)
      .addColumn('agreed_name', t.text)
      .addColumn('witness_user_id', t.id)
      .addColumn('handed_over_at', t.timestamp)
      .addColumn('handover_items_json', t.json('handover_items_json'))
      .addColumn('ended_at', t.timestamp)
      .addColumn('end_reason', t.text)
      .addColumn('return_items_json', t.json('return_items_json'))
      .addColumn('return_condition', t.text)
      .addColumn('due_reminded_at', t.timestamp)
      .addColumn('expiry_reminded_at', t.timestamp)
      .execute()
    // The rule the whole module rests on: one open allocation per device, on either database.
    await db.schema
      .createIndex('device_allocations_open')
      .on('device_allocations')
      .column('device_id')
      .unique()
      .where(sql.ref('ended_at'), 'is', null)
      .execute()
    await db.schema
      .createIndex('device_allocations_person')
      .on('device_allocations')
      .column('person_id')
      .execute()
    await db.schema
      .createIndex('device_allocations_due')
      .on('device_allocations')
      .columns(['borough_id', 'due_on'])
      .where(sql.ref('ended_at'), 'is', null)
      .execute()

    await t
      .table(db, 'device_events')
      .addColumn('device_id', t.id, (c) => c.notNull().references('devices.id'))
      .addColumn('from_status', t.text)
      .addColumn('to_status', t.text, (c) => c.notNull())
      .addColumn('user_id', t.id)
      .addColumn('at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('device_events_device')
      .on('device_events')
      .columns(['device_id', 'at'])
      .execute()
  },
}

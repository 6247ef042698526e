import type { HubMigration } from '#platform/migrate.ts'

/** Staff and volunteer accounts, their roles and borough scope, one-time links and API keys. */
export const migration: HubMigration = {
  async up(db, t) {
    await db.schema
      .createTable('roles')
      .addColumn('code', t.text, (c) => c.primaryKey())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('description', t.text, (c) => c.notNull())
      .addColumn('permissions_json', t.json('permissions_json'), (c) => c.notNull())
      .execute()

    await t
      .table(db, 'users')
      .addColumn('email', t.text, (c) => c.notNull().unique())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('password_hash', t.text)
      .addColumn('is_all_boroughs', t.bool('is_all_boroughs'), (c) => c.notNull())
      .addColumn('disabled_at', t.timestamp)
      .addColumn('password_changed_at', t.timestamp)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('user_roles')
      .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('role_code', t.text, (c) => c.notNull().references('roles.code'))
      .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role_code'])
      .execute()

    await db.schema
      .createTable('user_boroughs')
      .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      .addPrimaryKeyConstraint('user_boroughs_pk', ['user_id', 'borough_id'])
      .execute()

    await t
      .table(db, 'sign_in_attempts')
      .addColumn('email', t.text, (c) => c.notNull())
      .addColumn('ip', t.text, (c) => c.notNull())
      .addColumn('at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('sign_in_attempts_email')
      .on('sign_in_attempts')
      .columns(['email', 'at'])
      .execute()
    await db.schema.createIndex('sign_in_attempts_ip').on('sign_in_attempts').columns(['ip', 'at']).execute()

    await t
      .table(db, 'one_time_links')
      .addColumn('token_hash', t.text, (c) => c.notNull().unique())
      .addColumn('purpose', t.text, (c) => c.notNull())
      .addColumn('user_id', t.id, (c) => c.references('users.id').onDelete('cascade'))
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('expires_at', t.timestamp, (c) => c.notNull())
      .addColumn('used_at', t.timestamp)
      .execute()

    await t
      .table(db, 'api_keys')
      .addColumn('organisation_id', t.id, (c) => c.notNull())
      .addColumn('key_hash', t.text, (c) => c.notNull().unique())
      .addColumn('prefix', t.text, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('revoked_at', t.timestamp)
      .addColumn('last_used_at', t.timestamp)
      .execute()
  },
}

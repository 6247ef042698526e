import { type HubMigration, partialIndexes } from '#platform/migrate.ts'

/** A new person has no phone or email key and is merged into nobody: those indexes hold only the rows with one. */
export const migration: HubMigration = partialIndexes([
  { name: 'people_phone', table: 'people', columns: ['phone_key'], present: 'phone_key' },
  { name: 'people_email', table: 'people', columns: ['email_key'], present: 'email_key' },
  { name: 'people_merged_into', table: 'people', columns: ['merged_into_id'], present: 'merged_into_id' },
])

import type { HubMigration } from '#platform/migrate.ts'
import { createVersionCounter } from '#platform/version-counter.ts'

/**
 * A counter of who may do what: moved by triggers, in the writing transaction, at any write to accounts,
 * their roles and boroughs, or the roles' permissions. Each process keeps a signed-in person's access for
 * one value of it (versioned-cache.ts), so a disabled account or a removed role or borough takes effect
 * on the next request to any process.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await createVersionCounter(db, t, 'access_version', ['users', 'user_roles', 'user_boroughs', 'roles'])
  },
}

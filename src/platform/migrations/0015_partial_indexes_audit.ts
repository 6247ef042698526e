import { type HubMigration, partialIndexes } from '../migrate.ts'

/** A resident's own actions have no staff user: the index by actor holds only staff actions. */
export const migration: HubMigration = partialIndexes([
  {
    name: 'audit_events_actor_at',
    table: 'audit_events',
    columns: ['actor_user_id', 'at'],
    present: 'actor_user_id',
  },
])

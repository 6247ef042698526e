import { compiledOnce } from '#platform/compiled.ts'
import type { Executor } from '#platform/database.ts'
import type { SessionKind } from './session.ts'

declare module '#platform/database.ts' {
  interface Tables {
    help_session_list_version: { id: number; version: number | string }
  }
}

export interface PublicFilter {
  from: string
  to?: string
  boroughId?: string
  locationId?: string
  kind?: SessionKind
  language?: string
}

const listVersionRow = compiledOnce((db: Executor) =>
  db.selectFrom('help_session_list_version').select('version').where('id', '=', 1),
)

/** The SQL of the public list of sessions, and the version of what it shows (moved by triggers). */
export const publicListRepository = {
  async listVersion(db: Executor): Promise<string> {
    const [row] = await listVersionRow(db)
    return String(row?.version ?? 0)
  },

  /** Upcoming occurrences open to the public, soonest first. */
  publicOccurrences(db: Executor, f: PublicFilter, limit: number) {
    let q = db
      .selectFrom('help_session_occurrences as o')
      .innerJoin('help_sessions as s', 's.id', 'o.session_id')
      .select([
        'o.id',
        'o.session_id',
        'o.starts_at',
        'o.ends_at',
        'o.capacity',
        'o.booked',
        's.kind',
        's.title',
        's.venue',
        's.language',
        's.borough_id',
      ])
      .select((eb) => eb.fn.coalesce('o.place_id', 's.location_id').as('location_id'))
      .where('o.is_cancelled', '=', false)
      .where('s.is_cancelled', '=', false)
      .where('o.starts_at', '>=', f.from)
    if (f.to) q = q.where('o.starts_at', '<', f.to)
    if (f.boroughId) q = q.where('s.borough_id', '=', f.boroughId)
    const place = f.locationId
    if (place) q = q.where((eb) => eb(eb.fn.coalesce('o.place_id', 's.location_id'), '=', place))
    if (f.kind) q = q.where('s.kind', '=', f.kind)
    if (f.language) q = q.where('s.language', '=', f.language)
    return q.orderBy('o.starts_at').orderBy('o.id').limit(limit).execute()
  },
}

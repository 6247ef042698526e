import { nowIso } from './clock.ts'
import type { Executor } from './database.ts'
import { newId } from './ids.ts'

declare module './database.ts' {
  interface Tables {
    boroughs: BoroughTable
  }
}

export interface BoroughTable {
  id: string
  code: string
  name: string
  short_name: string
  created_at: string
}

/** Boroughs are tenants, and data: these are the first two. Another council is another row. */
export const SHIPPED_BOROUGHS = [
  { code: 'rbkc', name: 'Royal Borough of Kensington and Chelsea', short_name: 'Kensington and Chelsea' },
  { code: 'wcc', name: 'Westminster City Council', short_name: 'Westminster' },
]

/** Adds the shipped boroughs that are missing; a restart changes nothing. */
export async function loadBoroughs(db: Executor): Promise<void> {
  for (const b of SHIPPED_BOROUGHS) {
    await db
      .insertInto('boroughs')
      .values({ id: newId(), created_at: nowIso(), ...b })
      .onConflict((oc) => oc.column('code').doUpdateSet({ name: b.name, short_name: b.short_name }))
      .execute()
  }
}

export function listBoroughs(db: Executor): Promise<BoroughTable[]> {
  return db.selectFrom('boroughs').selectAll().orderBy('name').execute()
}

import type { Executor } from '#platform/database.ts'

declare module '#platform/database.ts' {
  interface Tables {
    organisations: OrganisationTable
    locations: LocationTable
  }
}

export interface OrganisationTable {
  id: string
  code: string
  name: string
  description: string
  website: string | null
  email: string | null
  borough_id: string | null
  created_at: string
  updated_at: string
}

export interface LocationTable {
  id: string
  code: string
  organisation_id: string
  borough_id: string
  kind: 'library' | 'partner-site'
  name: string
  address_1: string
  address_2: string | null
  city: string
  postcode: string
  latitude: number | null
  longitude: number | null
  created_at: string
  updated_at: string
}

/** All SQL of the directory module. */
export const directoryRepository = {
  async upsertOrganisation(db: Executor, row: OrganisationTable): Promise<string> {
    const { id, created_at, ...changes } = row
    const saved = await db
      .insertInto('organisations')
      .values(row)
      .onConflict((oc) => oc.column('code').doUpdateSet(changes))
      .returning('id')
      .executeTakeFirstOrThrow()
    return saved.id
  },

  async upsertLocation(db: Executor, row: LocationTable): Promise<void> {
    const { id, created_at, ...changes } = row
    await db
      .insertInto('locations')
      .values(row)
      .onConflict((oc) => oc.column('code').doUpdateSet(changes))
      .execute()
  },

  listLocations(db: Executor, kind: LocationTable['kind']) {
    return db
      .selectFrom('locations')
      .innerJoin('boroughs', 'boroughs.id', 'locations.borough_id')
      .select([
        'locations.id',
        'locations.name',
        'locations.address_1',
        'locations.address_2',
        'locations.city',
        'locations.postcode',
        'boroughs.short_name as borough',
      ])
      .where('locations.kind', '=', kind)
      .orderBy('boroughs.short_name')
      .orderBy('locations.name')
      .execute()
  },

  findOrganisation(db: Executor, idOrName: string) {
    return db
      .selectFrom('organisations')
      .select(['id', 'name'])
      .where((eb) =>
        eb.or([eb('code', '=', idOrName), eb(eb.fn('lower', ['name']), '=', idOrName.toLowerCase())]),
      )
      .executeTakeFirst()
  },

  findOrganisationById(db: Executor, id: string) {
    return db.selectFrom('organisations').select(['id', 'name']).where('id', '=', id).executeTakeFirst()
  },
}

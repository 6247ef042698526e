import type { Executor } from '#platform/database.ts'
import type {
  LocationTable,
  OnlineResourceTable,
  OpeningExceptionTable,
  OrganisationTable,
  ScheduleTable,
  TaxonomyTable,
  TaxonomyTermTable,
} from './directory.tables.ts'
import { type WeeklyTime, weeklyRows } from './schedules.ts'

export type * from './directory.tables.ts'

/** SQL for organisations, places, their hours and features, and the taxonomy. */
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

  /** Reference data: adds a place that is missing. Once it exists, editors own it; a restart changes nothing. */
  async ensureLocation(
    db: Executor,
    row: Pick<
      LocationTable,
      | 'id'
      | 'code'
      | 'organisation_id'
      | 'borough_id'
      | 'kind'
      | 'name'
      | 'address_1'
      | 'address_2'
      | 'city'
      | 'postcode'
      | 'latitude'
      | 'longitude'
      | 'created_at'
      | 'updated_at'
    >,
  ): Promise<{ id: string; isNew: boolean }> {
    const existing = await db
      .selectFrom('locations')
      .select('id')
      .where('code', '=', row.code)
      .executeTakeFirst()
    if (existing) return { id: existing.id, isNew: false }
    await db
      .insertInto('locations')
      .values({
        ...row,
        description: null,
        how_to_get_there: null,
        phone: null,
        email: null,
        public_computers: null,
        assured_date: null,
        review_reminded_at: null,
        source: null,
        source_id: null,
      })
      .execute()
    return { id: row.id, isNew: true }
  },

  insertLocation(db: Executor, row: LocationTable) {
    return db.insertInto('locations').values(row).execute()
  },

  updateLocation(db: Executor, id: string, changes: Partial<Omit<LocationTable, 'id' | 'code'>>) {
    return db.updateTable('locations').set(changes).where('id', '=', id).execute()
  },

  listLocations(db: Executor, kind?: LocationTable['kind']) {
    let q = db
      .selectFrom('locations')
      .innerJoin('boroughs', 'boroughs.id', 'locations.borough_id')
      .select([
        'locations.id',
        'locations.code',
        'locations.kind',
        'locations.name',
        'locations.address_1',
        'locations.address_2',
        'locations.city',
        'locations.postcode',
        'locations.assured_date',
        'locations.borough_id',
        'boroughs.short_name as borough',
      ])
    if (kind) q = q.where('locations.kind', '=', kind)
    return q.orderBy('boroughs.short_name').orderBy('locations.name').execute()
  },

  findLocation(db: Executor, id: string) {
    return db
      .selectFrom('locations')
      .innerJoin('boroughs', 'boroughs.id', 'locations.borough_id')
      .innerJoin('organisations', 'organisations.id', 'locations.organisation_id')
      .selectAll('locations')
      .select(['boroughs.short_name as borough', 'organisations.name as organisation_name'])
      .where('locations.id', '=', id)
      .executeTakeFirst()
  },

  findLocationsByIds(db: Executor, ids: string[]) {
    if (!ids.length) return Promise.resolve([])
    return db.selectFrom('locations').selectAll().where('id', 'in', ids).execute()
  },

  /** An imported record of one borough: another borough's import of the same feed has its own. */
  findLocationBySource(db: Executor, source: string, sourceId: string, boroughId: string) {
    return db
      .selectFrom('locations')
      .select('id')
      .where('source', '=', source)
      .where('source_id', '=', sourceId)
      .where('borough_id', '=', boroughId)
      .executeTakeFirst()
  },

  findOrganisation(db: Executor, idOrName: string) {
    return db
      .selectFrom('organisations')
      .select(['id', 'name', 'kind', 'email', 'borough_id'])
      .where((eb) =>
        eb.or([eb('code', '=', idOrName), eb(eb.fn('lower', ['name']), '=', idOrName.toLowerCase())]),
      )
      .executeTakeFirst()
  },

  findOrganisationById(db: Executor, id: string) {
    return db
      .selectFrom('organisations')
      .select(['id', 'name', 'kind', 'email', 'borough_id'])
      .where('id', '=', id)
      .executeTakeFirst()
  },

  findOrganisationsByIds(db: Executor, ids: string[]) {
    if (!ids.length) return Promise.resolve([])
    return db.selectFrom('organisations').selectAll().where('id', 'in', ids).execute()
  },

  /** An imported record of one borough: another borough's import of the same feed has its own. */
  findOrganisationBySource(db: Executor, source: string, sourceId: string, boroughId: string) {
    return db
      .selectFrom('organisations')
      .select('id')
      .where('source', '=', source)
      .where('source_id', '=', sourceId)
      .where('borough_id', '=', boroughId)
      .executeTakeFirst()
  },

  insertOrganisation(db: Executor, row: OrganisationTable) {
    return db.insertInto('organisations').values(row).execute()
  },

  updateOrganisation(db: Executor, id: string, changes: Partial<Omit<OrganisationTable, 'id' | 'code'>>) {
    return db.updateTable('organisations').set(changes).where('id', '=', id).execute()
  },

  listOrganisations(db: Executor) {
    return db.selectFrom('organisations').selectAll().orderBy('name').execute()
  },

  // --- opening hours and exceptions ---

  locationHours(db: Executor, locationIds: string[]) {
    if (!locationIds.length) return Promise.resolve([] as ScheduleTable[])
    return db
      .selectFrom('schedules')
      .selectAll()
      .where('location_id', 'in', locationIds)
      .orderBy('weekday')
      .orderBy('opens_at')
      .execute()
  },

  /** A place's weekly opening hours, replacing what it had. */
  async replaceLocationHours(db: Executor, locationId: string, hours: readonly WeeklyTime[]) {
    await db.deleteFrom('schedules').where('location_id', '=', locationId).execute()
    if (!hours.length) return
    const owner = { service_id: null, service_at_location_id: null, location_id: locationId }
    await db.insertInto('schedules').values(weeklyRows(owner, hours)).execute()
  },

  async hasHours(db: Executor, locationId: string): Promise<boolean> {
    const row = await db
      .selectFrom('schedules')
      .select('id')
      .where('location_id', '=', locationId)
      .limit(1)
      .executeTakeFirst()
    return Boolean(row)
  },

  exceptions(db: Executor, locationIds: string[], fromDate: string) {
    if (!locationIds.length) return Promise.resolve([] as OpeningExceptionTable[])
    return db
      .selectFrom('opening_exceptions')
      .selectAll()
      .where('location_id', 'in', locationIds)
      .where('date', '>=', fromDate)
      .orderBy('date')
      .execute()
  },

  /** Adds or replaces the exception for one day. */
  async upsertException(db: Executor, row: OpeningExceptionTable) {
    const { id, location_id, date, ...changes } = row
    await db
      .insertInto('opening_exceptions')
      .values(row)
      .onConflict((oc) => oc.columns(['location_id', 'date']).doUpdateSet(changes))
      .execute()
  },

  /** Reference data only: adds an exception unless an editor already set that day. */
  async addExceptionIfMissing(db: Executor, row: OpeningExceptionTable) {
    await db
      .insertInto('opening_exceptions')
      .values(row)
      .onConflict((oc) => oc.columns(['location_id', 'date']).doNothing())
      .execute()
  },

  deleteException(db: Executor, locationId: string, id: string) {
    return db
      .deleteFrom('opening_exceptions')
      .where('location_id', '=', locationId)
      .where('id', '=', id)
      .executeTakeFirst()
  },

  // --- access features ---

  locationFeatures(db: Executor, locationIds: string[]) {
    if (!locationIds.length) return Promise.resolve([])
    return db
      .selectFrom('location_features')
      .innerJoin('taxonomy_terms', 'taxonomy_terms.id', 'location_features.term_id')
      .select([
        'location_features.id',
        'location_features.location_id',
        'location_features.term_id',
        'location_features.details',
        'taxonomy_terms.code',
        'taxonomy_terms.name',
        'taxonomy_terms.description',
        'taxonomy_terms.sort_order',
      ])
      .where('location_features.location_id', 'in', locationIds)
      .orderBy('taxonomy_terms.sort_order')
      .execute()
  },

  async replaceLocationFeatures(
    db: Executor,
    locationId: string,
    rows: { id: string; term_id: string; details: string | null }[],
  ) {
    await db.deleteFrom('location_features').where('location_id', '=', locationId).execute()
    if (rows.length)
      await db
        .insertInto('location_features')
        .values(rows.map((r) => ({ ...r, location_id: locationId })))
        .execute()
  },

  addFeatureIfMissing(db: Executor, row: { id: string; location_id: string; term_id: string }) {
    return db
      .insertInto('location_features')
      .values({ ...row, details: null })
      .onConflict((oc) => oc.columns(['location_id', 'term_id']).doNothing())
      .execute()
  },

  // --- taxonomy ---

  async upsertTaxonomy(db: Executor, row: TaxonomyTable): Promise<string> {
    const { id, ...changes } = row
    const saved = await db
      .insertInto('taxonomies')
      .values(row)
      .onConflict((oc) => oc.column('code').doUpdateSet(changes))
      .returning('id')
      .executeTakeFirstOrThrow()
    return saved.id
  },

  async upsertTerm(db: Executor, row: TaxonomyTermTable): Promise<string> {
    const { id, taxonomy_id, code, ...changes } = row
    const saved = await db
      .insertInto('taxonomy_terms')
      .values(row)
      .onConflict((oc) => oc.columns(['taxonomy_id', 'code']).doUpdateSet(changes))
      .returning('id')
      .executeTakeFirstOrThrow()
    return saved.id
  },

  findTaxonomyByCode(db: Executor, code: string) {
    return db.selectFrom('taxonomies').selectAll().where('code', '=', code).executeTakeFirst()
  },

  findTaxonomy(db: Executor, id: string) {
    return db.selectFrom('taxonomies').selectAll().where('id', '=', id).executeTakeFirst()
  },

  async pageTaxonomies(db: Executor, limit: number, offset: number) {
    const [rows, total] = await Promise.all([
      db
        .selectFrom('taxonomies')
        .selectAll()
        .orderBy('name')
        .orderBy('id')
        .limit(limit)
        .offset(offset)
        .execute(),
      db
        .selectFrom('taxonomies')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ])
    return { rows, total: Number(total.n) }
  },

  termsQuery(db: Executor) {
    return db
      .selectFrom('taxonomy_terms')
      .innerJoin('taxonomies', 'taxonomies.id', 'taxonomy_terms.taxonomy_id')
      .selectAll('taxonomy_terms')
      .select(['taxonomies.name as taxonomy_name', 'taxonomies.code as taxonomy_code'])
  },

  findTerm(db: Executor, id: string) {
    return directoryRepository.termsQuery(db).where('taxonomy_terms.id', '=', id).executeTakeFirst()
  },

  termsOfTaxonomy(db: Executor, taxonomyCode: string) {
    return directoryRepository
      .termsQuery(db)
      .where('taxonomies.code', '=', taxonomyCode)
      .orderBy('taxonomy_terms.sort_order')
      .execute()
  },

  async pageTerms(db: Executor, filter: { taxonomyId?: string }, limit: number, offset: number) {
    let q = db.selectFrom('taxonomy_terms')
    if (filter.taxonomyId) q = q.where('taxonomy_terms.taxonomy_id', '=', filter.taxonomyId)
    const [rows, total] = await Promise.all([
      q
        .innerJoin('taxonomies', 'taxonomies.id', 'taxonomy_terms.taxonomy_id')
        .selectAll('taxonomy_terms')
        .select(['taxonomies.name as taxonomy_name', 'taxonomies.code as taxonomy_code'])
        .orderBy('taxonomies.code')
        .orderBy('taxonomy_terms.sort_order')
        .orderBy('taxonomy_terms.id')
        .limit(limit)
        .offset(offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { rows, total: Number(total.n) }
  },

  // --- online resources ---

  upsertOnlineResource(db: Executor, row: OnlineResourceTable) {
    const { id, code, ...changes } = row
    return db
      .insertInto('online_resources')
      .values(row)
      .onConflict((oc) => oc.column('code').doUpdateSet(changes))
      .execute()
  },

  listOnlineResources(db: Executor) {
    return db.selectFrom('online_resources').selectAll().orderBy('category').orderBy('name').execute()
  },
}

import { compiledOnce } from '#platform/compiled.ts'
import type { Executor } from '#platform/database.ts'
import type {
  ScheduleTable,
  ServiceCapacityTable,
  ServiceContactTable,
  ServiceTable,
} from './directory.tables.ts'
import { type WeeklyTime, weeklyRows } from './schedules.ts'

// Asked at every directory request: compiled once (see compiledOnce).
const versionsRow = compiledOnce((db: Executor) =>
  db.selectNoFrom((eb) => [
    eb.selectFrom('directory_version').select('version').where('id', '=', 1).as('directory'),
    eb.selectFrom('capacity_version').select('version').where('id', '=', 1).as('capacity'),
  ]),
)

/** SQL for services and what hangs off them: terms, languages, contacts, places, schedules, capacity. */
export const servicesRepository = {
  insertService(db: Executor, row: ServiceTable) {
    return db.insertInto('services').values(row).execute()
  },

  updateService(
    db: Executor,
    id: string,
    changes: Partial<Omit<ServiceTable, 'id' | 'code' | 'created_at'>>,
  ) {
    return db.updateTable('services').set(changes).where('id', '=', id).execute()
  },

  findService(db: Executor, id: string) {
    return db
      .selectFrom('services')
      .innerJoin('organisations', 'organisations.id', 'services.organisation_id')
      .selectAll('services')
      .select([
        'organisations.name as organisation_name',
        'organisations.email as organisation_email',
        'organisations.kind as organisation_kind',
      ])
      .where('services.id', '=', id)
      .executeTakeFirst()
  },

  findServiceByCode(db: Executor, code: string) {
    return db.selectFrom('services').select(['id', 'code']).where('code', '=', code).executeTakeFirst()
  },

  /** An imported service of one borough: another borough's import of the same feed has its own. */
  findServiceBySource(db: Executor, source: string, sourceId: string, boroughId: string) {
    return db
      .selectFrom('services')
      .select('id')
      .where('source', '=', source)
      .where('source_id', '=', sourceId)
      .where('borough_id', '=', boroughId)
      .executeTakeFirst()
  },

  servicesByIds(db: Executor, ids: string[]) {
    if (!ids.length) return Promise.resolve([] as ServiceTable[])
    return db.selectFrom('services').selectAll().where('id', 'in', ids).execute()
  },

  listForStaff(db: Executor) {
    return db
      .selectFrom('services')
      .innerJoin('organisations', 'organisations.id', 'services.organisation_id')
      .leftJoin('boroughs', 'boroughs.id', 'services.borough_id')
      .select([
        'services.id',
        'services.name',
        'services.status',
        'services.assured_date',
        'services.borough_id',
        'services.updated_at',
        'organisations.name as organisation_name',
        'boroughs.short_name as borough',
      ])
      .orderBy('services.name')
      .orderBy('services.id')
      .execute()
  },

  /** Services whose listing has not been checked since `before` (or never), for the review list. */
  dueForReview(db: Executor, before: string, limit: number) {
    return db
      .selectFrom('services')
      .innerJoin('organisations', 'organisations.id', 'services.organisation_id')
      .select([
        'services.id',
        'services.name',
        'services.assured_date',
        'services.borough_id',
        'services.review_reminded_at',
        'services.owner_email',
        'organisations.email as organisation_email',
      ])
      .where('services.status', '!=', 'defunct')
      .where((eb) =>
        eb.or([eb('services.assured_date', 'is', null), eb('services.assured_date', '<', before)]),
      )
      .orderBy('services.assured_date')
      .orderBy('services.id')
      .limit(limit)
      .execute()
  },

  /** Services of an imported feed that it no longer has: made inactive, not deleted. Answers how many. */
  /** Withdraws one borough's services from `source` that the feed no longer has. */
  async withdrawMissing(
    db: Executor,
    source: string,
    boroughId: string,
    keepIds: string[],
    at: string,
  ): Promise<number> {
    let q = db
      .updateTable('services')
      .set({ status: 'inactive', updated_at: at })
      .where('source', '=', source)
      .where('borough_id', '=', boroughId)
      .where('status', '=', 'active')
    if (keepIds.length) q = q.where('id', 'not in', keepIds)
    const result = await q.executeTakeFirst()
    return Number(result.numUpdatedRows)
  },

  // --- taxonomy terms ---

  async setTerms(db: Executor, serviceId: string, rows: { id: string; term_id: string }[]) {
    await db.deleteFrom('service_terms').where('service_id', '=', serviceId).execute()
    if (rows.length)
      await db
        .insertInto('service_terms')
        .values(rows.map((r) => ({ ...r, service_id: serviceId })))
        .execute()
  },

  termsOf(db: Executor, serviceIds: string[]) {
    if (!serviceIds.length) return Promise.resolve([])
    return db
      .selectFrom('service_terms')
      .innerJoin('taxonomy_terms', 'taxonomy_terms.id', 'service_terms.term_id')
      .innerJoin('taxonomies', 'taxonomies.id', 'taxonomy_terms.taxonomy_id')
      .select([
        'service_terms.id as link_id',
        'service_terms.service_id',
        'taxonomy_terms.id',
        'taxonomy_terms.code',
        'taxonomy_terms.name',
        'taxonomy_terms.description',
        'taxonomy_terms.parent_id',
        'taxonomy_terms.term_uri',
        'taxonomy_terms.taxonomy_id',
        'taxonomies.name as taxonomy_name',
        'taxonomies.code as taxonomy_code',
      ])
      .where('service_terms.service_id', 'in', serviceIds)
      .orderBy('taxonomy_terms.sort_order')
      .execute()
  },

  // --- languages and contacts ---

  async setLanguages(db: Executor, serviceId: string, rows: { id: string; code: string; name: string }[]) {
    await db.deleteFrom('service_languages').where('service_id', '=', serviceId).execute()
    if (rows.length)
      await db
        .insertInto('service_languages')
        .values(rows.map((r) => ({ ...r, service_id: serviceId })))
        .execute()
  },

  languagesOf(db: Executor, serviceIds: string[]) {
    if (!serviceIds.length) return Promise.resolve([])
    return db
      .selectFrom('service_languages')
      .selectAll()
      .where('service_id', 'in', serviceIds)
      .orderBy('name')
      .execute()
  },

  async setContacts(db: Executor, serviceId: string, rows: ServiceContactTable[]) {
    await db.deleteFrom('service_contacts').where('service_id', '=', serviceId).execute()
    if (rows.length) await db.insertInto('service_contacts').values(rows).execute()
  },

  contactsOf(db: Executor, serviceIds: string[]) {
    if (!serviceIds.length) return Promise.resolve([] as ServiceContactTable[])
    return db.selectFrom('service_contacts').selectAll().where('service_id', 'in', serviceIds).execute()
  },

  // --- where and when ---

  async addServiceAtLocation(
    db: Executor,
    row: { id: string; service_id: string; location_id: string; created_at: string },
  ) {
    const existing = await db
      .selectFrom('service_at_locations')
      .select('id')
      .where('service_id', '=', row.service_id)
      .where('location_id', '=', row.location_id)
      .executeTakeFirst()
    if (existing) return existing.id
    await db
      .insertInto('service_at_locations')
      .values({ ...row, description: null })
      .execute()
    return row.id
  },

  removeServiceAtLocations(db: Executor, serviceId: string, keepLocationIds: string[]) {
    let q = db.deleteFrom('service_at_locations').where('service_id', '=', serviceId)
    if (keepLocationIds.length) q = q.where('location_id', 'not in', keepLocationIds)
    return q.execute()
  },

  placesOf(db: Executor, serviceIds: string[]) {
    if (!serviceIds.length) return Promise.resolve([])
    return db
      .selectFrom('service_at_locations')
      .innerJoin('locations', 'locations.id', 'service_at_locations.location_id')
      .innerJoin('boroughs', 'boroughs.id', 'locations.borough_id')
      .select([
        'service_at_locations.id as sal_id',
        'service_at_locations.service_id',
        'service_at_locations.description as sal_description',
        'locations.id',
        'locations.name',
        'locations.address_1',
        'locations.address_2',
        'locations.city',
        'locations.postcode',
        'locations.latitude',
        'locations.longitude',
        'locations.borough_id',
        'boroughs.short_name as borough',
      ])
      .where('service_at_locations.service_id', 'in', serviceIds)
      .orderBy('locations.name')
      .execute()
  },

  servicesAt(db: Executor, locationId: string) {
    return db
      .selectFrom('service_at_locations')
      .innerJoin('services', 'services.id', 'service_at_locations.service_id')
      .select([
        'services.id',
        'services.name',
        'services.description',
        'services.how_to_get',
        'services.status',
      ])
      .where('service_at_locations.location_id', '=', locationId)
      .where('services.status', '=', 'active')
      .orderBy('services.name')
      .execute()
  },

  activeServiceIds(db: Executor) {
    return db.selectFrom('services').select('id').where('status', '=', 'active').orderBy('id').execute()
  },

  /**
   * The directory's change counter (migration 0020), which moves at every change to a directory table,
   * and live capacity's (0040): both in one small query, as every directory request asks for them.
   */
  async versions(db: Executor): Promise<{ directory: number; capacity: number }> {
    const [row] = await versionsRow(db)
    return { directory: Number(row?.directory ?? 0), capacity: Number(row?.capacity ?? 0) }
  },

  /**
   * What the in-memory search needs of every active service, whole tables at once (a few thousand rows
   * each): the services (with what a list of results shows), their terms, their places and every
   * weekly time.
   */
  async searchIndexRows(db: Executor) {
    const active = db.selectFrom('services').select('services.id').where('services.status', '=', 'active')
    const [services, terms, places, features, schedules] = await Promise.all([
      db
        .selectFrom('services')
        .innerJoin('organisations', 'organisations.id', 'services.organisation_id')
        .select([
          'services.id',
          'services.name',
          'services.description',
          'services.organisation_id',
          'services.updated_at',
          'services.minimum_age',
          'services.maximum_age',
          'services.borough_id',
          'services.how_to_get',
          'organisations.name as organisation_name',
        ])
        .where('services.status', '=', 'active')
        .execute(),
      db
        .selectFrom('service_terms')
        .innerJoin('taxonomy_terms', 'taxonomy_terms.id', 'service_terms.term_id')
        .select(['service_terms.service_id', 'service_terms.term_id', 'taxonomy_terms.taxonomy_id'])
        .where('service_terms.service_id', 'in', active)
        .execute(),
      db
        .selectFrom('service_at_locations')
        .innerJoin('locations', 'locations.id', 'service_at_locations.location_id')
        .select([
          'service_at_locations.id',
          'service_at_locations.service_id',
          'service_at_locations.location_id',
          'locations.name',
          'locations.borough_id',
          'locations.latitude',
          'locations.longitude',
        ])
        .where('service_at_locations.service_id', 'in', active)
        .execute(),
      db.selectFrom('location_features').select(['location_id', 'term_id']).execute(),
      db
        .selectFrom('schedules')
        .select(['service_id', 'location_id', 'weekday', 'opens_at', 'closes_at'])
        .execute(),
    ])
    return { services, terms, places, features, schedules }
  },

  findServiceAtLocation(db: Executor, id: string) {
    return db.selectFrom('service_at_locations').selectAll().where('id', '=', id).executeTakeFirst()
  },

  schedulesOf(db: Executor, serviceIds: string[]) {
    if (!serviceIds.length) return Promise.resolve([] as ScheduleTable[])
    return db
      .selectFrom('schedules')
      .selectAll()
      .where('service_id', 'in', serviceIds)
      .orderBy('weekday')
      .orderBy('opens_at')
      .execute()
  },

  /** Replaces the service's own times; times at one place (service_at_location_id) are kept. */
  async replaceSchedules(db: Executor, serviceId: string, times: readonly WeeklyTime[]) {
    await db
      .deleteFrom('schedules')
      .where('service_id', '=', serviceId)
      .where('service_at_location_id', 'is', null)
      .execute()
    const owner = { service_id: serviceId, service_at_location_id: null, location_id: null }
    if (times.length) await db.insertInto('schedules').values(weeklyRows(owner, times)).execute()
  },

  /** Replaces the service's times at one of its places (a service_at_location); its own are kept. */
  async replaceSchedulesAt(
    db: Executor,
    serviceId: string,
    serviceAtLocationId: string,
    times: readonly WeeklyTime[],
  ) {
    await db.deleteFrom('schedules').where('service_at_location_id', '=', serviceAtLocationId).execute()
    const owner = { service_id: serviceId, service_at_location_id: serviceAtLocationId, location_id: null }
    if (times.length) await db.insertInto('schedules').values(weeklyRows(owner, times)).execute()
  },

  // --- capacity ---

  async upsertCapacity(db: Executor, row: ServiceCapacityTable) {
    const { id, service_id, unit, ...changes } = row
    await db
      .insertInto('service_capacities')
      .values(row)
      .onConflict((oc) => oc.columns(['service_id', 'unit']).doUpdateSet(changes))
      .execute()
  },

  capacitiesOf(db: Executor, serviceIds: string[]) {
    if (!serviceIds.length) return Promise.resolve([] as ServiceCapacityTable[])
    return db
      .selectFrom('service_capacities')
      .selectAll()
      .where('service_id', 'in', serviceIds)
      .orderBy('unit')
      .execute()
  },

  /** Every figure reported: a row per service and unit, only for the services other modules run. */
  allCapacities(db: Executor) {
    return db.selectFrom('service_capacities').selectAll().orderBy('service_id').orderBy('unit').execute()
  },
}

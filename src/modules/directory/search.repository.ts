import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely'
import type { Executor, Tables } from '#platform/database.ts'
import { likePattern } from '#platform/database.ts'
import { METRES_PER_DEGREE, metresPerDegreeLongitude, type Point } from './postcodes.ts'
import type { ServiceStatus } from './reference-taxonomy.ts'

/**
 * Everything a search of services can ask, combined with AND. The Open Referral API and /find-help both
 * build one of these; the SQL is the same on both databases (plain arithmetic for distance).
 */
export interface ServiceFilter {
  /** words in the name or description */
  search?: string
  /** services with any of these terms */
  termIds?: string[]
  /** services with any term of this taxonomy */
  taxonomyId?: string
  organisationId?: string
  /** ISO timestamp: changed on or after */
  modifiedAfter?: string
  /** services offered in this borough (its own, or shared ones that are there or have no place) */
  boroughId?: string
  /** offered at a place that has every one of these access features */
  featureTermIds?: string[]
  /** 1 Monday ... 7 Sunday */
  day?: number
  /** Open Referral: a session that starts at or after `startTime` and ends at or before `endTime` */
  startTime?: string
  endTime?: string
  /** /find-help: running at this time (HH:MM) on `day` */
  openAt?: string
  /** Open Referral: minimum_age at least this */
  minimumAge?: number
  /** Open Referral: maximum_age at most this */
  maximumAge?: number
  /** nearest first; with `withinMetres`, only places that close */
  near?: { point: Point; withinMetres?: number }
  /** defaults to active only */
  statuses?: ServiceStatus[]
}

type ServiceQuery = SelectQueryBuilder<Tables, 'services', object>
type Eb = ExpressionBuilder<Tables, 'services'>

/** Squared metres from a point to `locations`, by a flat approximation (good over a city). */
function squaredMetres(point: Point) {
  const ky = METRES_PER_DEGREE ** 2
  const kx = metresPerDegreeLongitude(point.latitude) ** 2
  return sql<number>`((locations.latitude - ${point.latitude}) * (locations.latitude - ${point.latitude}) * ${ky} + (locations.longitude - ${point.longitude}) * (locations.longitude - ${point.longitude}) * ${kx})`
}

/** A schedule row that matches the filter's day and times. */
function scheduleMatches(filter: ServiceFilter, table: 's' | 'ls') {
  const parts = [sql`1 = 1`]
  if (filter.day) parts.push(sql`${sql.ref(`${table}.weekday`)} = ${filter.day}`)
  if (filter.startTime) parts.push(sql`${sql.ref(`${table}.opens_at`)} >= ${filter.startTime}`)
  if (filter.endTime) parts.push(sql`${sql.ref(`${table}.closes_at`)} <= ${filter.endTime}`)
  if (filter.openAt) {
    parts.push(sql`${sql.ref(`${table}.opens_at`)} <= ${filter.openAt}`)
    parts.push(sql`${sql.ref(`${table}.closes_at`)} > ${filter.openAt}`)
  }
  return sql.join(parts, sql` and `)
}

function applyFilter(q: ServiceQuery, filter: ServiceFilter): ServiceQuery {
  q = q.where(
    'services.status',
    'in',
    filter.statuses?.length ? filter.statuses : (['active'] as ServiceStatus[]),
  )
  if (filter.search?.trim()) {
    const p = likePattern(filter.search.trim())
    q = q.where(
      sql<boolean>`(lower(services.name) like ${p} escape '\\' or lower(services.description) like ${p} escape '\\')`,
    )
  }
  if (filter.organisationId) q = q.where('services.organisation_id', '=', filter.organisationId)
  if (filter.modifiedAfter) q = q.where('services.updated_at', '>=', filter.modifiedAfter)
  if (filter.minimumAge !== undefined) q = q.where('services.minimum_age', '>=', filter.minimumAge)
  if (filter.maximumAge !== undefined) q = q.where('services.maximum_age', '<=', filter.maximumAge)
  const termIds = filter.termIds
  if (termIds?.length) {
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('service_terms')
          .select('service_terms.id')
          .whereRef('service_terms.service_id', '=', 'services.id')
          .where('service_terms.term_id', 'in', termIds),
      ),
    )
  }
  const taxonomyId = filter.taxonomyId
  if (taxonomyId) {
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('service_terms')
          .innerJoin('taxonomy_terms', 'taxonomy_terms.id', 'service_terms.term_id')
          .select('service_terms.id')
          .whereRef('service_terms.service_id', '=', 'services.id')
          .where('taxonomy_terms.taxonomy_id', '=', taxonomyId),
      ),
    )
  }
  const boroughId = filter.boroughId
  if (boroughId) {
    q = q.where((eb: Eb) =>
      eb.or([
        eb('services.borough_id', '=', boroughId),
        eb.and([
          eb('services.borough_id', 'is', null),
          eb.or([
            eb.not(
              eb.exists(
                eb
                  .selectFrom('service_at_locations')
                  .select('service_at_locations.id')
                  .whereRef('service_at_locations.service_id', '=', 'services.id'),
              ),
            ),
            eb.exists(
              eb
                .selectFrom('service_at_locations')
                .innerJoin('locations', 'locations.id', 'service_at_locations.location_id')
                .select('service_at_locations.id')
                .whereRef('service_at_locations.service_id', '=', 'services.id')
                .where('locations.borough_id', '=', boroughId),
            ),
          ]),
        ]),
      ]),
    )
  }
  // Places: access features and distance both ask for one place that has them all.
  const features = filter.featureTermIds ?? []
  const within = filter.near?.withinMetres
  if (features.length || within !== undefined) {
    q = q.where(({ exists, selectFrom }) => {
      let places = selectFrom('service_at_locations')
        .innerJoin('locations', 'locations.id', 'service_at_locations.location_id')
        .select('service_at_locations.id')
        .whereRef('service_at_locations.service_id', '=', 'services.id')
      for (const termId of features) {
        places = places.where(({ exists: has, selectFrom: from }) =>
          has(
            from('location_features')
              .select('location_features.id')
              .whereRef('location_features.location_id', '=', 'locations.id')
              .where('location_features.term_id', '=', termId),
          ),
        )
      }
      if (within !== undefined && filter.near) {
        places = places.where(sql<boolean>`${squaredMetres(filter.near.point)} <= ${within * within}`)
      }
      return exists(places)
    })
  }
  if (filter.day || filter.startTime || filter.endTime || filter.openAt) {
    // A service with schedules of its own runs then; one without runs whenever a place it is at is open.
    const own = scheduleMatches(filter, 's')
    const place = scheduleMatches(filter, 'ls')
    q = q.where(
      sql<boolean>`(exists (select 1 from schedules s where s.service_id = services.id and ${own})
        or (not exists (select 1 from schedules s0 where s0.service_id = services.id)
          and exists (select 1 from service_at_locations sal join schedules ls on ls.location_id = sal.location_id
            where sal.service_id = services.id and ${place})))`,
    )
  }
  return q
}

/** Squared distance to the service's nearest place, or null for services with no place. */
function nearestExpression(point: Point) {
  return sql<number | null>`(select min(${squaredMetres(point)}) from service_at_locations
    join locations on locations.id = service_at_locations.location_id
    where service_at_locations.service_id = services.id and locations.latitude is not null)`
}

export const searchRepository = {
  /** One page of matching service ids, nearest first when a point is given, else by name. */
  async pageServiceIds(db: Executor, filter: ServiceFilter, limit: number, offset: number) {
    const base = applyFilter(db.selectFrom('services'), filter)
    let rows: { id: string; distance2: number | null }[]
    if (filter.near) {
      // Materialised, so each service's distance is worked out once, not again for every ORDER BY term.
      const d = nearestExpression(filter.near.point)
      rows = await db
        .with(
          (cte) => cte('matches').materialized(),
          () => base.select(['services.id', 'services.name', d.as('distance2')]),
        )
        .selectFrom('matches')
        .select(['matches.id', 'matches.distance2'])
        .orderBy(sql`case when matches.distance2 is null then 1 else 0 end`)
        .orderBy('matches.distance2')
        .orderBy('matches.name')
        .orderBy('matches.id')
        .limit(limit)
        .offset(offset)
        .execute()
    } else {
      rows = (
        await base
          .select('services.id')
          .orderBy('services.name')
          .orderBy('services.id')
          .limit(limit)
          .offset(offset)
          .execute()
      ).map((r) => ({ id: r.id, distance2: null }))
    }
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    return { rows, total: Number(total.n) }
  },

  /** One page of services-at-places matching the filter (the service's filter, plus the place's). */
  async pageServiceAtLocations(db: Executor, filter: ServiceFilter, limit: number, offset: number) {
    const matching = applyFilter(db.selectFrom('services'), filter).select('services.id')
    let q = db
      .selectFrom('service_at_locations')
      .innerJoin('locations', 'locations.id', 'service_at_locations.location_id')
      .where('service_at_locations.service_id', 'in', matching)
    for (const termId of filter.featureTermIds ?? []) {
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('location_features')
            .select('location_features.id')
            .whereRef('location_features.location_id', '=', 'locations.id')
            .where('location_features.term_id', '=', termId),
        ),
      )
    }
    if (filter.boroughId) q = q.where('locations.borough_id', '=', filter.boroughId)
    const near = filter.near
    if (near?.withinMetres !== undefined) {
      q = q.where(sql<boolean>`${squaredMetres(near.point)} <= ${near.withinMetres * near.withinMetres}`)
    }
    let page = q.select([
      'service_at_locations.id',
      'service_at_locations.service_id',
      'service_at_locations.location_id',
    ])
    if (near) {
      const d = squaredMetres(near.point)
      page = page.orderBy(sql`case when locations.latitude is null then 1 else 0 end`).orderBy(d)
    }
    const [rows, total] = await Promise.all([
      page.orderBy('locations.name').orderBy('service_at_locations.id').limit(limit).offset(offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { rows, total: Number(total.n) }
  },

  /** Ids and last change of every matching service: Open Referral's `minimal`. */
  minimal(db: Executor, filter: ServiceFilter, limit: number, offset: number) {
    return applyFilter(db.selectFrom('services'), filter)
      .select(['services.id', 'services.updated_at'])
      .orderBy('services.id')
      .limit(limit)
      .offset(offset)
      .execute()
  },
}

import { nowIso } from '#platform/clock.ts'
import type { Executor } from '#platform/database.ts'
import { newId } from '#platform/ids.ts'
import { directoryRepository as repo } from './directory.repository.ts'
import type { ServiceTable } from './directory.tables.ts'
import { servicesRepository as services } from './services.repository.ts'

/**
 * Data builders for the directory's tests (and the benchmark's data generator): a place and a service
 * with the parts a test names, written through the module's own repositories.
 */
export async function buildPlace(
  db: Executor,
  opts: {
    organisationId: string
    boroughId: string
    name: string
    latitude: number
    longitude: number
    postcode?: string
    featureTermIds?: string[]
    hours?: { weekday: number; opens_at: string; closes_at: string }[]
  },
): Promise<string> {
  const id = newId()
  const now = nowIso()
  await repo.insertLocation(db, {
    id,
    code: `place-${id}`,
    organisation_id: opts.organisationId,
    borough_id: opts.boroughId,
    kind: 'partner-site',
    name: opts.name,
    description: null,
    address_1: '1 Test Street',
    address_2: null,
    city: 'London',
    postcode: opts.postcode ?? 'W10 5PF',
    latitude: opts.latitude,
    longitude: opts.longitude,
    how_to_get_there: null,
    phone: null,
    email: null,
    public_computers: null,
    assured_date: null,
    review_reminded_at: null,
    source: null,
    source_id: null,
    created_at: now,
    updated_at: now,
  })
  await repo.replaceLocationFeatures(
    db,
    id,
    (opts.featureTermIds ?? []).map((term_id) => ({ id: newId(), term_id, details: null, checked_on: null })),
  )
  await repo.replaceLocationHours(db, id, opts.hours ?? [])
  return id
}

export async function buildService(
  db: Executor,
  opts: Partial<ServiceTable> & {
    organisation_id: string
    name: string
    termIds?: string[]
    placeIds?: string[]
    schedule?: { weekday: number; opens_at: string; closes_at: string }[]
  },
): Promise<string> {
  const id = newId()
  const now = nowIso()
  const { termIds, placeIds, schedule, ...fields } = opts
  await services.insertService(db, {
    id,
    code: `service-${id}`,
    borough_id: null,
    description: `${opts.name}: a service made by a test.`,
    who_for: null,
    eligibility: null,
    cost: 'Free',
    is_free: true,
    how_to_get: 'drop-in',
    how_to_get_details: null,
    url: null,
    email: null,
    phone: null,
    status: 'active',
    alert: null,
    minimum_age: null,
    maximum_age: null,
    assured_date: null,
    owner_email: null,
    review_reminded_at: null,
    source: null,
    source_id: null,
    created_at: now,
    updated_at: now,
    ...fields,
  })
  await services.setTerms(
    db,
    id,
    (termIds ?? []).map((term_id) => ({ id: newId(), term_id })),
  )
  for (const location_id of placeIds ?? [])
    await services.addServiceAtLocation(db, { id: newId(), service_id: id, location_id, created_at: now })
  await services.replaceSchedules(db, id, schedule ?? [])
  return id
}

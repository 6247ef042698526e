import { listBoroughs } from '#platform/boroughs.ts'
import type { Executor } from '#platform/database.ts'
import { directoryRepository as repo } from './directory.repository.ts'
import type {
  LocationTable,
  OpeningExceptionTable,
  OrganisationTable,
  ScheduleTable,
  ServiceCapacityTable,
  ServiceContactTable,
  ServiceTable,
} from './directory.tables.ts'
import { servicesRepository as services } from './services.repository.ts'

export interface Feature {
  id: string
  term_id: string
  code: string
  name: string
  description: string
  details: string | null
  checked_on: string | null
}

export interface Place extends LocationTable {
  borough: string
  features: Feature[]
  hours: ScheduleTable[]
  exceptions: OpeningExceptionTable[]
}

export interface Term {
  link_id: string
  id: string
  code: string
  name: string
  description: string
  parent_id: string | null
  term_uri: string | null
  taxonomy_id: string
  taxonomy_name: string
  taxonomy_code: string
}

export interface ServiceAtPlace {
  id: string
  description: string | null
  place: Place
  schedules: ScheduleTable[]
}

/** A service with everything the directory's counter covers: all of a full service but live capacity. */
export interface ServiceDetails extends ServiceTable {
  organisation: OrganisationTable
  borough: string | null
  terms: Term[]
  languages: { id: string; code: string; name: string }[]
  contacts: ServiceContactTable[]
  /** schedules of the service not tied to one place */
  schedules: ScheduleTable[]
  places: ServiceAtPlace[]
}

/** A service with everything about it: what the service page and the API's full service show. */
export interface FullService extends ServiceDetails {
  /** live figures other modules report; they move on a counter of their own (migration 0040) */
  capacities: ServiceCapacityTable[]
}

const today = () => new Date().toISOString().slice(0, 10)

/** Places with their features, weekly hours and coming exceptions, keyed by id. */
export async function loadPlaces(db: Executor, ids: string[]): Promise<Map<string, Place>> {
  const unique = [...new Set(ids)]
  const [rows, features, hours, exceptions, boroughs] = await Promise.all([
    repo.findLocationsByIds(db, unique),
    repo.locationFeatures(db, unique),
    repo.locationHours(db, unique),
    repo.exceptions(db, unique, today()),
    listBoroughs(db),
  ])
  const boroughName = new Map(boroughs.map((b) => [b.id, b.short_name]))
  const places = new Map<string, Place>()
  for (const l of rows) {
    places.set(l.id, {
      ...l,
      borough: boroughName.get(l.borough_id) ?? '',
      features: features.filter((f) => f.location_id === l.id),
      hours: hours.filter((h) => h.location_id === l.id),
      exceptions: exceptions.filter((e) => e.location_id === l.id),
    })
  }
  return places
}

/** Services by id, in the order given, with everything about them. Unknown ids are left out. */
export async function loadFullServices(db: Executor, ids: string[]): Promise<FullService[]> {
  const [details, capacities] = await Promise.all([
    loadServiceDetails(db, ids),
    services.capacitiesOf(db, ids),
  ])
  return details.map((s) => ({ ...s, capacities: capacities.filter((c) => c.service_id === s.id) }))
}

/** Services by id, in the order given, with everything about them but live capacity. */
export async function loadServiceDetails(db: Executor, ids: string[]): Promise<ServiceDetails[]> {
  if (!ids.length) return []
  const [rows, terms, languages, contacts, placeRows, schedules] = await Promise.all([
    services.servicesByIds(db, ids),
    services.termsOf(db, ids),
    services.languagesOf(db, ids),
    services.contactsOf(db, ids),
    services.placesOf(db, ids),
    services.schedulesOf(db, ids),
  ])
  const [organisations, places, boroughs] = await Promise.all([
    repo.findOrganisationsByIds(db, [...new Set(rows.map((r) => r.organisation_id))]),
    loadPlaces(
      db,
      placeRows.map((p) => p.id),
    ),
    listBoroughs(db),
  ])
  const orgById = new Map(organisations.map((o) => [o.id, o]))
  const boroughName = new Map(boroughs.map((b) => [b.id, b.short_name]))
  const byId = new Map(rows.map((r) => [r.id, r]))
  const result: ServiceDetails[] = []
  for (const id of ids) {
    const s = byId.get(id)
    if (!s) continue
    const own = schedules.filter((x) => x.service_id === id)
    result.push({
      ...s,
      organisation: orgById.get(s.organisation_id) as OrganisationTable,
      borough: s.borough_id ? (boroughName.get(s.borough_id) ?? null) : null,
      terms: terms.filter((t) => t.service_id === id),
      languages: languages.filter((l) => l.service_id === id),
      contacts: contacts.filter((c) => c.service_id === id),
      schedules: own.filter((x) => !x.service_at_location_id),
      places: placeRows
        .filter((p) => p.service_id === id)
        .map((p) => ({
          id: p.sal_id,
          description: p.sal_description,
          place: places.get(p.id) as Place,
          schedules: own.filter((x) => x.service_at_location_id === p.sal_id),
        })),
    })
  }
  return result
}

/** A service with its organisation: what the API's lists show of it. */
export type ServiceSummary = ServiceTable & { organisation: OrganisationTable }

import { createHash } from 'node:crypto'
import type { FullService, Place, ServiceDetails, ServiceSummary, Term } from './directory.read.ts'
import type {
  OrganisationTable,
  ScheduleTable,
  TaxonomyTable,
  TaxonomyTermTable,
} from './directory.tables.ts'
import { BYDAY } from './reference-taxonomy.ts'

/**
 * Exactly what goes out on the Open Referral UK API (HSDS 3.0, UK profile). Ids are our UUIDs; optional
 * fields are left out rather than sent as null. Objects we do not store as rows of their own (a place's
 * address, a service's cost option or phone) get a stable id derived from their owner's.
 */
type Json = Record<string, unknown>

/** Drops keys whose value is null, undefined or an empty array. */
export function compact<T extends Json>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && !v.length)),
  ) as Partial<T>
}

/** A UUID-shaped id that is always the same for the same owner and kind. */
export function derivedId(ownerId: string, kind: string): string {
  const h = createHash('sha256').update(`${ownerId}:${kind}`).digest('hex')
  const variant = ((Number.parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

export function page<T>(contents: T[], total: number, pageNumber: number, perPage: number) {
  const totalPages = Math.max(1, Math.ceil(total / perPage))
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: pageNumber,
    size: contents.length,
    first_page: pageNumber === 1,
    last_page: pageNumber >= totalPages,
    empty: contents.length === 0,
    contents,
  }
}

/**
 * The text of `page(...)` as JSON from each item's JSON made before: what JSON.stringify would write,
 * without walking every item's fields again on each request.
 */
export function pageJson(items: readonly string[], total: number, pageNumber: number, perPage: number) {
  const { contents: _, ...head } = page([...items], total, pageNumber, perPage)
  return `${JSON.stringify(head).slice(0, -1)},"contents":[${items.join(',')}]}`
}

const seconds = (hhmm: string) => (hhmm.length === 5 ? `${hhmm}:00` : hhmm)

export function presentOrganisation(o: OrganisationTable) {
  return compact({
    id: o.id,
    name: o.name,
    description: o.description,
    email: o.email,
    website: o.website,
  })
}

export function presentSchedule(s: ScheduleTable) {
  return compact({
    id: s.id,
    service_id: s.service_id,
    service_at_location_id: s.service_at_location_id,
    location_id: s.location_id,
    valid_from: s.valid_from,
    valid_to: s.valid_to,
    freq: s.freq,
    interval: 1,
    byday: BYDAY[s.weekday - 1],
    opens_at: seconds(s.opens_at),
    closes_at: seconds(s.closes_at),
    description: s.description,
  })
}

export function presentTerm(t: TaxonomyTermTable & { taxonomy_name: string }) {
  return compact({
    id: t.id,
    name: t.name,
    description: t.description,
    parent_id: t.parent_id,
    taxonomy: t.taxonomy_name,
    taxonomy_id: t.taxonomy_id,
    term_uri: t.term_uri,
    term: t.name,
    code: t.code,
  })
}

export function presentTaxonomy(t: TaxonomyTable) {
  return compact({ id: t.id, name: t.name, description: t.description, uri: t.uri, version: t.version })
}

function presentAttribute(
  linkId: string,
  linkType: string,
  t: Term | (Place['features'][number] & { taxonomy_name?: string }),
) {
  const term = 'taxonomy_id' in t ? t : undefined
  const termId = 'term_id' in t ? t.term_id : t.id
  return compact({
    id: 'link_id' in t ? t.link_id : t.id,
    link_id: linkId,
    link_type: linkType,
    taxonomy_term_id: termId,
    taxonomy_term: term
      ? compact({
          id: term.id,
          name: term.name,
          description: term.description,
          parent_id: term.parent_id,
          taxonomy: term.taxonomy_name,
          taxonomy_id: term.taxonomy_id,
          term_uri: term.term_uri,
          term: term.name,
          code: term.code,
        })
      : undefined,
  })
}

/** A place's one-to-one fields: what a list shows. */
export function presentLocationSummary(
  p: Pick<Place, 'id' | 'name' | 'description' | 'latitude' | 'longitude'>,
) {
  return compact({
    id: p.id,
    location_type: 'physical',
    name: p.name,
    description: p.description,
    latitude: p.latitude,
    longitude: p.longitude,
  })
}

/** A place with its address, access features and opening hours. */
export function presentLocation(p: Place) {
  return compact({
    ...presentLocationSummary(p),
    addresses: [
      compact({
        id: derivedId(p.id, 'address'),
        location_id: p.id,
        address_1: [p.address_1, p.address_2].filter(Boolean).join(', '),
        city: p.city,
        region: p.borough,
        state_province: 'England',
        postal_code: p.postcode,
        country: 'GB',
        address_type: 'physical',
      }),
    ],
    accessibility: p.features.map((f) =>
      compact({
        id: f.id,
        location_id: p.id,
        description: f.name,
        details: f.details,
        accessibility: f.name,
        attributes: [presentAttribute(f.id, 'accessibility', f)],
      }),
    ),
    // HSDS 3.0 location.schedules: opening hours (not in the UK profile's compiled schema, which allows it)
    schedules: p.hours.map(presentSchedule),
  })
}

/** A service's one-to-one fields and its organisation: an item of GET /services. */
export function presentServiceSummary(s: ServiceSummary | FullService) {
  return compact({
    id: s.id,
    organization_id: s.organisation_id,
    name: s.name,
    description: s.description,
    url: s.url,
    email: s.email,
    status: s.status,
    minimum_age: s.minimum_age,
    maximum_age: s.maximum_age,
    assured_date: s.assured_date,
    alert: s.alert,
    last_modified: s.updated_at,
    eligibility_description: s.eligibility ?? s.who_for,
    application_process: s.how_to_get_details,
    organization: presentOrganisation(s.organisation),
  })
}

/** GET /services/{id}: everything. */
export function presentFullService(s: FullService) {
  return withCapacities(presentServiceDetails(s), s)
}

/** A full service but for live capacity: what changes only with the directory, so worth keeping made. */
export function presentServiceDetails(s: ServiceDetails) {
  const schedules = [...s.schedules, ...s.places.flatMap((p) => p.schedules)]
  return compact({
    ...presentServiceSummary(s),
    schedules: schedules.map(presentSchedule),
    service_areas: s.borough_id
      ? [{ id: derivedId(s.id, `area:${s.borough_id}`), service_id: s.id, name: s.borough ?? '' }]
      : undefined,
    service_at_locations: s.places.map((p) =>
      compact({
        id: p.id,
        service_id: s.id,
        location_id: p.place.id,
        description: p.description,
        location: presentLocation(p.place),
      }),
    ),
    languages: s.languages.map((l) => ({ id: l.id, service_id: s.id, name: l.name, code: l.code })),
    cost_options: s.cost
      ? [
          compact({
            id: derivedId(s.id, 'cost'),
            service_id: s.id,
            option: s.cost,
            amount: s.is_free ? 0 : undefined,
          }),
        ]
      : undefined,
    contacts: s.contacts.map((c) =>
      compact({
        id: c.id,
        service_id: s.id,
        name: c.name,
        title: c.title,
        phones: c.phone ? [{ id: derivedId(c.id, 'phone'), contact_id: c.id, number: c.phone }] : undefined,
        email: c.email,
      }),
    ),
    phones: s.phone ? [{ id: derivedId(s.id, 'phone'), service_id: s.id, number: s.phone }] : undefined,
    attributes: s.terms.map((t) => presentAttribute(s.id, 'service', t)),
  })
}

/** The service's details with HSDS 3.1 service_capacity last: live figures other modules report. */
export function withCapacities<T extends Json>(details: T, s: FullService) {
  if (!s.capacities.length) return details
  return {
    ...details,
    capacities: s.capacities.map((c) =>
      compact({
        id: c.id,
        service_id: s.id,
        unit: { id: derivedId(s.id, `unit:${c.unit}`), name: c.unit },
        available: c.available,
        maximum: c.maximum,
        description: c.description,
        updated: c.updated_at,
      }),
    ),
  }
}

/** GET /service_at_locations item: the pair with one-to-one fields of each. */
export function presentServiceAtLocationSummary(
  row: { id: string; service_id: string; location_id: string },
  service: ServiceSummary,
  place: Place,
) {
  return {
    id: row.id,
    service_id: row.service_id,
    location_id: row.location_id,
    location: presentLocationSummary(place),
    service: presentServiceSummary(service),
  }
}

/** GET /service_at_locations/{id}: the place in full and the service in full (without its other places). */
export function presentFullServiceAtLocation(salId: string, service: FullService) {
  const at = service.places.find((p) => p.id === salId)
  if (!at) throw new Error(`Service ${service.id} is not at ${salId}`)
  const { service_at_locations, ...full } = presentFullService({
    ...service,
    places: [at],
  }) as Json
  return compact({
    id: at.id,
    service_id: service.id,
    location_id: at.place.id,
    description: at.description,
    location: presentLocation(at.place),
    service: full,
  })
}

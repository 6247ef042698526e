import type { HowToGet, ServiceStatus } from './reference-taxonomy.ts'

declare module '#platform/database.ts' {
  interface Tables {
    organisations: OrganisationTable
    locations: LocationTable
    taxonomies: TaxonomyTable
    taxonomy_terms: TaxonomyTermTable
    services: ServiceTable
    service_terms: { id: string; service_id: string; term_id: string }
    service_languages: { id: string; service_id: string; code: string; name: string }
    service_contacts: ServiceContactTable
    service_at_locations: ServiceAtLocationTable
    schedules: ScheduleTable
    opening_exceptions: OpeningExceptionTable
    location_features: {
      id: string
      location_id: string
      term_id: string
      details: string | null
      /** YYYY-MM-DD: when someone last checked the place has it (migration 202612012310) */
      checked_on: string | null
    }
    online_resources: OnlineResourceTable
    service_capacities: ServiceCapacityTable
    directory_problems: DirectoryProblemTable
    /** one row: a counter that moves at every change to the directory (migration 0020) */
    directory_version: { id: number; version: number }
    /** one row: a counter that moves at every change to live capacity (migration 0040) */
    capacity_version: { id: number; version: number }
  }
}

export interface OrganisationTable {
  id: string
  code: string
  /** `library-service` (a council's libraries, or the partnership's) or `partner` */
  kind: string
  name: string
  description: string
  website: string | null
  email: string | null
  phone: string | null
  borough_id: string | null
  /** Where an imported record came from (the feed's URL) and its id there. */
  source: string | null
  source_id: string | null
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
  description: string | null
  address_1: string
  address_2: string | null
  city: string
  postcode: string
  latitude: number | null
  longitude: number | null
  how_to_get_there: string | null
  phone: string | null
  email: string | null
  public_computers: number | null
  assured_date: string | null
  review_reminded_at: string | null
  source: string | null
  source_id: string | null
  created_at: string
  updated_at: string
}

export interface TaxonomyTable {
  id: string
  code: string
  name: string
  description: string
  uri: string | null
  version: string | null
}

export interface TaxonomyTermTable {
  id: string
  taxonomy_id: string
  code: string
  name: string
  description: string
  parent_id: string | null
  term_uri: string | null
  sort_order: number
}

export interface ServiceTable {
  id: string
  code: string
  organisation_id: string
  borough_id: string | null
  name: string
  description: string
  who_for: string | null
  eligibility: string | null
  cost: string | null
  is_free: boolean
  how_to_get: HowToGet
  how_to_get_details: string | null
  url: string | null
  email: string | null
  phone: string | null
  status: ServiceStatus
  alert: string | null
  minimum_age: number | null
  maximum_age: number | null
  assured_date: string | null
  /** Who is reminded to review the listing; else the organisation's email. */
  owner_email: string | null
  review_reminded_at: string | null
  source: string | null
  source_id: string | null
  created_at: string
  updated_at: string
}

export interface ServiceContactTable {
  id: string
  service_id: string
  name: string | null
  title: string | null
  phone: string | null
  email: string | null
}

export interface ServiceAtLocationTable {
  id: string
  service_id: string
  location_id: string
  description: string | null
  created_at: string
}

export interface ScheduleTable {
  id: string
  service_id: string | null
  service_at_location_id: string | null
  location_id: string | null
  weekday: number
  opens_at: string
  closes_at: string
  freq: 'WEEKLY'
  description: string | null
  valid_from: string | null
  valid_to: string | null
}

export interface OpeningExceptionTable {
  id: string
  location_id: string
  date: string
  is_closed: boolean
  opens_at: string | null
  closes_at: string | null
  reason: string
}

export interface OnlineResourceTable {
  id: string
  code: string
  name: string
  description: string
  category: string
  access: string
  url: string
  updated_at: string
}

export interface ServiceCapacityTable {
  id: string
  service_id: string
  unit: string
  available: number
  maximum: number | null
  description: string | null
  updated_at: string
}

export interface DirectoryProblemTable {
  id: string
  record_type: 'service' | 'location'
  record_id: string
  details: string
  created_at: string
  resolved_at: string | null
}

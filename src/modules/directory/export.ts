import { stringify } from 'csv-stringify/sync'
import type { Platform } from '#platform/platform.ts'
import { loadFullServices } from './directory.read.ts'
import { directoryRepository as repo } from './directory.repository.ts'
import {
  presentFullService,
  presentLocation,
  presentOrganisation,
  presentSchedule,
  presentTaxonomy,
  presentTerm,
} from './openreferral.presenter.ts'
import { servicesRepository } from './services.repository.ts'

type Row = Record<string, unknown>

/** The HSDS tables we publish, their columns and Table Schema types, in HSDS 3.0 names. */
const TABLES: Record<string, [string, string][]> = {
  organizations: [
    ['id', 'string'],
    ['name', 'string'],
    ['description', 'string'],
    ['email', 'string'],
    ['website', 'string'],
  ],
  services: [
    ['id', 'string'],
    ['organization_id', 'string'],
    ['name', 'string'],
    ['description', 'string'],
    ['url', 'string'],
    ['email', 'string'],
    ['status', 'string'],
    ['minimum_age', 'number'],
    ['maximum_age', 'number'],
    ['eligibility_description', 'string'],
    ['application_process', 'string'],
    ['alert', 'string'],
    ['assured_date', 'date'],
    ['last_modified', 'datetime'],
  ],
  locations: [
    ['id', 'string'],
    ['location_type', 'string'],
    ['name', 'string'],
    ['description', 'string'],
    ['latitude', 'number'],
    ['longitude', 'number'],
  ],
  addresses: [
    ['id', 'string'],
    ['location_id', 'string'],
    ['address_1', 'string'],
    ['city', 'string'],
    ['region', 'string'],
    ['state_province', 'string'],
    ['postal_code', 'string'],
    ['country', 'string'],
    ['address_type', 'string'],
  ],
  accessibility: [
    ['id', 'string'],
    ['location_id', 'string'],
    ['description', 'string'],
    ['details', 'string'],
  ],
  service_at_locations: [
    ['id', 'string'],
    ['service_id', 'string'],
    ['location_id', 'string'],
    ['description', 'string'],
  ],
  schedules: [
    ['id', 'string'],
    ['service_id', 'string'],
    ['location_id', 'string'],
    ['service_at_location_id', 'string'],
    ['freq', 'string'],
    ['interval', 'number'],
    ['byday', 'string'],
    ['opens_at', 'time'],
    ['closes_at', 'time'],
    ['valid_from', 'date'],
    ['valid_to', 'date'],
    ['description', 'string'],
  ],
  languages: [
    ['id', 'string'],
    ['service_id', 'string'],
    ['name', 'string'],
    ['code', 'string'],
  ],
  cost_options: [
    ['id', 'string'],
    ['service_id', 'string'],
    ['option', 'string'],
    ['amount', 'number'],
  ],
  taxonomies: [
    ['id', 'string'],
    ['name', 'string'],
    ['description', 'string'],
    ['uri', 'string'],
    ['version', 'string'],
  ],
  taxonomy_terms: [
    ['id', 'string'],
    ['name', 'string'],
    ['description', 'string'],
    ['parent_id', 'string'],
    ['taxonomy', 'string'],
    ['taxonomy_id', 'string'],
    ['code', 'string'],
  ],
  attributes: [
    ['id', 'string'],
    ['link_id', 'string'],
    ['link_type', 'string'],
    ['taxonomy_term_id', 'string'],
  ],
}

/** The partnership publishes its directory for anyone to reuse under the Open Government Licence. */
const LICENCE = {
  name: 'OGL-UK-3.0',
  path: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
  title: 'Open Government Licence v3.0',
}

/**
 * Text a spreadsheet would run as a formula gets a leading apostrophe. Numbers stay numbers, and text that
 * is only a signed number or phone number (+44 20 7361 3010, -0.19) is left as it is.
 */
export function safeCell(value: unknown): unknown {
  if (typeof value !== 'string') return value
  if (/^[=@\t\r]/.test(value)) return `'${value}`
  if (/^[+-]/.test(value) && !/^[+-][\d\s().]+$/.test(value)) return `'${value}`
  return value
}

function csv(table: string, rows: Row[]): Buffer {
  const columns = (TABLES[table] ?? []).map(([name]) => name)
  return Buffer.from(
    stringify(
      rows.map((r) => columns.map((c) => safeCell(r[c] ?? ''))),
      { header: true, columns },
    ),
    'utf8',
  )
}

/** Every active service, its organisation, places, times and terms, as HSDS CSV files and datapackage.json. */
export async function exportDataPackage(platform: Platform): Promise<{ name: string; data: Buffer }[]> {
  const { db } = platform.database
  const ids = (await servicesRepository.activeServiceIds(db)).map((r) => r.id)
  const services = await loadFullServices(db, ids)
  const tables: Record<string, Map<string, Row>> = Object.fromEntries(
    Object.keys(TABLES).map((t) => [t, new Map()]),
  )
  const put = (table: string, row: Row) => tables[table]?.set(String(row.id), row)
  for (const s of services) {
    const full = presentFullService(s) as Row
    put('organizations', presentOrganisation(s.organisation))
    put('services', full)
    for (const sch of s.schedules) put('schedules', presentSchedule(sch))
    for (const l of (full.languages as Row[]) ?? []) put('languages', l)
    for (const c of (full.cost_options as Row[]) ?? []) put('cost_options', c)
    for (const a of (full.attributes as Row[]) ?? []) put('attributes', a)
    for (const p of s.places) {
      put('service_at_locations', {
        id: p.id,
        service_id: s.id,
        location_id: p.place.id,
        description: p.description,
      })
      for (const sch of p.schedules) put('schedules', presentSchedule(sch))
      const location = presentLocation(p.place) as Row
      put('locations', location)
      for (const a of (location.addresses as Row[]) ?? []) put('addresses', a)
      for (const a of (location.accessibility as Row[]) ?? []) put('accessibility', a)
      for (const h of p.place.hours) put('schedules', presentSchedule(h))
    }
  }
  for (const t of (await repo.pageTaxonomies(db, 1000, 0)).rows) put('taxonomies', presentTaxonomy(t))
  for (const t of (await repo.pageTerms(db, {}, 100_000, 0)).rows) put('taxonomy_terms', presentTerm(t))

  const files = Object.entries(tables).map(([table, rows]) => ({
    name: `${table}.csv`,
    data: csv(table, [...rows.values()]),
  }))
  const datapackage = {
    name: 'digital-inclusion-directory',
    title: `${platform.config.PARTNERSHIP_NAME}: digital inclusion directory`,
    profile: 'tabular-data-package',
    created: new Date().toISOString(),
    licenses: [LICENCE],
    contributors: [{ title: platform.config.PARTNERSHIP_NAME, role: 'publisher' }],
    // HSDS 3.0 as profiled by Open Referral UK
    homepage: 'https://github.com/openreferral/uk-profile',
    resources: Object.entries(TABLES).map(([table, fields]) => ({
      name: table,
      path: `${table}.csv`,
      profile: 'tabular-data-resource',
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8',
      schema: { fields: fields.map(([name, type]) => ({ name, type })), primaryKey: 'id' },
    })),
  }
  return [{ name: 'datapackage.json', data: Buffer.from(JSON.stringify(datapackage, null, 2)) }, ...files]
}

/**
 * Fictional directory listings for the data generator: partner organisations, their places (with access
 * features and opening hours, at postcodes of the partnership), and services with taxonomy terms,
 * languages, contacts, places and times.
 */
import type {
  LocationTable,
  OrganisationTable,
  ScheduleTable,
  ServiceTable,
} from '../../src/modules/directory/directory.tables.ts'
import { postcodeCentroid } from '../../src/modules/directory/postcodes.ts'
import {
  FEATURES_TAXONOMY,
  HOW_TO_GET,
  LANGUAGES,
  NEEDS_TAXONOMY,
} from '../../src/modules/directory/reference-taxonomy.ts'
import { type ScheduleOwner, weeklyRows } from '../../src/modules/directory/schedules.ts'
import { lookupPostcode, type ReferralRules } from '../../src/modules/referrals/rules.ts'
import { listBoroughs } from '../../src/platform/boroughs.ts'
import type { Db } from '../../src/platform/database.ts'
import { newId } from '../../src/platform/ids.ts'
import { insertMany, type Random } from './random.ts'

const AREAS = ['Paddington', 'Notting Dale', 'Church Street', 'Earls Court', 'Pimlico', 'Queens Park'].concat(
  ['Golborne', 'Maida Hill', 'Lancaster Gate', 'Chelsea Reach', 'Soho', 'Lisson Grove'],
)
const ORG_KINDS = [
  'Community Trust',
  'Neighbourhood Centre',
  'Older People’s Forum',
  'Refugee Welcome',
].concat(['Housing Association', 'Family Hub', 'Tenants’ Association', 'Learning Partnership'])
/** What a service is called, what it is for (terms of the needs taxonomy), and its ages. */
const KINDS: { name: string; terms: string[]; what: string; ages?: [number, number] }[] = [
  {
    name: 'Digital drop-in',
    terms: ['skills', 'skills-drop-in'],
    what: 'help with phones, tablets and forms online',
  },
  { name: 'One-to-one computer help', terms: ['skills-one-to-one'], what: 'an hour with a digital helper' },
  { name: 'Computers for beginners', terms: ['skills-courses'], what: 'a friendly six-week course' },
  { name: 'NHS App help', terms: ['skills-drop-in'], what: 'set up the NHS App, order repeat prescriptions' },
  {
    name: 'Universal Credit online',
    terms: ['skills-one-to-one'],
    what: 'your journal, messages and payments',
  },
  { name: 'Tablet lending', terms: ['devices'], what: 'borrow a tablet with data for three months' },
  { name: 'Free SIM cards', terms: ['connectivity'], what: 'a free SIM card with six months of data' },
  { name: 'Coding club', terms: ['coding'], what: 'make games and websites', ages: [8, 14] },
  { name: 'Screen reader help', terms: ['accessibility'], what: 'try screen readers and magnifiers' },
  { name: 'Public computers and Wi-Fi', terms: ['computers'], what: 'free computers, printing and Wi-Fi' },
  { name: 'Video calls with family', terms: ['skills-one-to-one'], what: 'learn to make video calls' },
  {
    name: 'Job search club',
    terms: ['skills-drop-in', 'computers'],
    what: 'CVs, applications and interviews',
  },
  { name: 'Home visits with a tablet', terms: ['home-library', 'devices'], what: 'a volunteer comes to you' },
]
const STATUSES = ['active', 'active', 'active', 'active', 'active', 'active', 'active', 'inactive'] as const
const DAY = 86_400_000

async function termIds(db: Db, taxonomyCode: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('taxonomy_terms')
    .innerJoin('taxonomies', 'taxonomies.id', 'taxonomy_terms.taxonomy_id')
    .select(['taxonomy_terms.id', 'taxonomy_terms.code'])
    .where('taxonomies.code', '=', taxonomyCode)
    .execute()
  return new Map(rows.map((t) => [t.code, t.id]))
}

export async function generateServices(db: Db, n: number, r: Random, rules: Pick<ReferralRules, 'areas'>) {
  if (n === 0) return { services: 0, places: 0 }
  const now = new Date().toISOString()
  const boroughs = await listBoroughs(db)
  const needs = await termIds(db, NEEDS_TAXONOMY.code)
  const features = [...(await termIds(db, FEATURES_TAXONOMY.code)).values()]
  const organisations: OrganisationTable[] = Array.from(
    { length: Math.max(3, Math.ceil(n / 100)) },
    (_, i) => {
      const id = newId()
      const borough = r.pick(boroughs)
      return {
        id,
        code: `generated-${id}`,
        kind: 'partner',
        name: `${r.pick(AREAS)} ${r.pick(ORG_KINDS)} ${i + 1}`,
        description: 'A fictional partner organisation made by the data generator.',
        website: null,
        email: `hello.${i + 1}@partner.example.com`,
        phone: '020 7946 0000',
        borough_id: borough.id,
        source: null,
        source_id: null,
        created_at: now,
        updated_at: now,
      }
    },
  )
  // Postcode districts that lie in one borough, from the referrals module's table.
  const districts = rules.areas.flatMap((a) => {
    const found = lookupPostcode(rules, `${a.prefix.split(' ')[0]} 1AA`)
    return found.kind === 'borough' && postcodeCentroid(`${a.prefix.split(' ')[0]} 1AA`) ? [{ a, found }] : []
  })
  const boroughId = new Map(boroughs.map((b) => [b.code, b.id]))
  const locations: LocationTable[] = []
  const locationFeatures: {
    id: string
    location_id: string
    term_id: string
    details: string | null
    checked_on: string | null
  }[] = []
  const schedules: ScheduleTable[] = []
  const hours = (owner: Partial<ScheduleOwner>, weekday: number, opens: string, closes: string) =>
    schedules.push(
      ...weeklyRows({ service_id: null, service_at_location_id: null, location_id: null, ...owner }, [
        { weekday, opens_at: opens, closes_at: closes },
      ]),
    )
  for (let i = 0; i < Math.max(1, Math.ceil(n / 10)); i++) {
    const { a, found } = r.pick(districts)
    const outward = a.prefix.split(' ')[0] as string
    const postcode = `${outward} ${1 + r.int(9)}${r.pick([...'ABDEFGHJLNPQRSTUWXYZ'])}${r.pick([...'ABDEFGHJLNPQRSTUWXYZ'])}`
    const centre = postcodeCentroid(postcode) ?? { latitude: 51.5, longitude: -0.18 }
    const org = r.pick(organisations)
    const id = newId()
    locations.push({
      id,
      code: `generated-${id}`,
      organisation_id: org.id,
      borough_id: boroughId.get(found.kind === 'borough' ? found.borough : '') as string,
      kind: 'partner-site',
      name: `${r.pick(AREAS)} ${r.pick(['Community Centre', 'Hub', 'Church Hall', 'Family Centre'])} ${i + 1}`,
      description: null,
      address_1: `${1 + r.int(200)} ${r.pick(AREAS)} Road`,
      address_2: null,
      city: 'London',
      postcode,
      latitude: centre.latitude + (r.next() - 0.5) * 0.008,
      longitude: centre.longitude + (r.next() - 0.5) * 0.012,
      how_to_get_there: 'Buses stop outside.',
      phone: '020 7946 0001',
      email: null,
      public_computers: r.chance(0.5) ? 2 + r.int(20) : null,
      assured_date: new Date(Date.now() - r.int(300) * DAY).toISOString().slice(0, 10),
      review_reminded_at: null,
      source: null,
      source_id: null,
      created_at: now,
      updated_at: now,
    })
    for (const term_id of r.some(features, 0.4))
      locationFeatures.push({ id: newId(), location_id: id, term_id, details: null, checked_on: null })
    const late = r.chance(0.3) ? '19:00' : '17:00'
    for (let d = 1; d <= 5; d++) hours({ location_id: id }, d, '09:00', late)
    if (r.chance(0.6)) hours({ location_id: id }, 6, '10:00', '16:00')
  }

  const services: ServiceTable[] = []
  const terms: { id: string; service_id: string; term_id: string }[] = []
  const languages: { id: string; service_id: string; code: string; name: string }[] = []
  const contacts: {
    id: string
    service_id: string
    name: string | null
    title: string | null
    phone: string | null
    email: string | null
  }[] = []
  const placesOf: {
    id: string
    service_id: string
    location_id: string
    description: string | null
    created_at: string
  }[] = []
  for (let i = 0; i < n; i++) {
    const kind = r.pick(KINDS)
    const at = r.chance(0.9) ? [r.pick(locations), ...(r.chance(0.2) ? [r.pick(locations)] : [])] : []
    const first = at[0]
    const org = first
      ? (organisations.find((o) => o.id === first.organisation_id) ?? r.pick(organisations))
      : r.pick(organisations)
    const id = newId()
    const free = r.chance(0.85)
    services.push({
      id,
      code: `generated-${id}`,
      organisation_id: org.id,
      borough_id: first && r.chance(0.9) ? first.borough_id : null,
      name: `${kind.name}${first ? ` at ${first.name}` : ` with ${org.name}`}`,
      description: `${kind.name}: ${kind.what}. Run by ${org.name}. Bring your own device if you have one.`,
      who_for: kind.ages
        ? `Children aged ${kind.ages[0]} to ${kind.ages[1]}`
        : 'Adults who live, work or study locally',
      eligibility: null,
      cost: free ? 'Free' : '£2 a session',
      is_free: free,
      how_to_get: r.pick(HOW_TO_GET),
      how_to_get_details: null,
      url: null,
      email: org.email,
      phone: org.phone,
      status: r.pick(STATUSES),
      alert: null,
      minimum_age: kind.ages?.[0] ?? null,
      maximum_age: kind.ages?.[1] ?? null,
      assured_date: new Date(Date.now() - r.int(270) * DAY).toISOString().slice(0, 10),
      owner_email: null,
      review_reminded_at: null,
      source: null,
      source_id: null,
      created_at: now,
      updated_at: new Date(Date.now() - r.int(200) * DAY).toISOString(),
    })
    for (const code of kind.terms) {
      const term = needs.get(code)
      if (term) terms.push({ id: newId(), service_id: id, term_id: term })
    }
    for (const code of r.some(Object.keys(LANGUAGES), 0.12))
      languages.push({ id: newId(), service_id: id, code, name: LANGUAGES[code] as string })
    if (r.chance(0.5))
      contacts.push({
        id: newId(),
        service_id: id,
        name: 'Jo Bloggs',
        title: 'Coordinator',
        phone: org.phone,
        email: org.email,
      })
    for (const place of new Set(at))
      placesOf.push({
        id: newId(),
        service_id: id,
        location_id: place.id,
        description: null,
        created_at: now,
      })
    if (r.chance(0.5)) {
      const weekday = 1 + r.int(6)
      const start = 9 + r.int(8)
      hours(
        { service_id: id },
        weekday,
        `${String(start).padStart(2, '0')}:00`,
        `${String(start + 2).padStart(2, '0')}:00`,
      )
    }
  }
  await db.transaction().execute(async (tx) => {
    await insertMany(tx, 'organisations', organisations)
    await insertMany(tx, 'locations', locations)
    await insertMany(tx, 'location_features', locationFeatures)
    await insertMany(tx, 'services', services)
    await insertMany(tx, 'service_terms', terms)
    await insertMany(tx, 'service_languages', languages)
    await insertMany(tx, 'service_contacts', contacts)
    await insertMany(tx, 'service_at_locations', placesOf)
    await insertMany(tx, 'schedules', schedules)
  })
  return { services: services.length, places: locations.length }
}

import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import { newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { directoryRepository as repo } from './directory.repository.ts'
import type { DirectoryService } from './directory.service.ts'
import { postcodeCentroid } from './postcodes.ts'
import { servicesRepository as services } from './services.repository.ts'

/** Fictional partners for demonstrations and training. Every name, address and email here is made up. */
const DEMO = [
  {
    code: 'demo-harbour-trust',
    name: 'Harbour Street Trust',
    description: 'A fictional homelessness charity with a day centre.',
    email: 'referrals@harbour-trust.example',
    borough: 'wcc',
    place: {
      name: 'Harbour Street Day Centre',
      address_1: '12 Harbour Street',
      postcode: 'W2 5DU',
      features: ['step-free', 'accessible-toilet', 'free-wifi'],
    },
    service: {
      name: 'Phone charging and Wi-Fi at the day centre',
      description: 'Charge your phone, use the Wi-Fi and get help with email and online forms.',
      how_to_get: 'drop-in' as const,
      needs: ['connectivity', 'skills-drop-in'],
      hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens_at: '09:00', closes_at: '13:00' })),
    },
  },
  {
    code: 'demo-westway-discharge',
    name: 'Westway Hospital discharge team',
    description: 'A fictional hospital discharge team that refers patients going home.',
    email: 'discharge@westway-hospital.example',
    borough: 'rbkc',
    place: null,
    service: null,
  },
  {
    code: 'demo-northbank-learning',
    name: 'Northbank Adult Learning',
    description: 'A fictional adult learning service running digital skills courses.',
    email: 'courses@northbank-learning.example',
    borough: 'rbkc',
    place: {
      name: 'Northbank Learning Centre',
      address_1: '3 Canal Way',
      postcode: 'W10 5PF',
      features: [
        'step-free',
        'lift',
        'hearing-loop',
        'screen-readers',
        'large-print-keyboards',
        'public-computers',
      ],
    },
    service: {
      name: 'Computers for beginners (6 weeks)',
      description: 'A small, friendly course: mouse and keyboard, email, staying safe, video calls.',
      how_to_get: 'book' as const,
      needs: ['skills-courses'],
      hours: [{ weekday: 2, opens_at: '10:00', closes_at: '12:00' }],
    },
  },
]

/** Adds the demo partners, their places and services; running it again changes nothing. Says what is there. */
export async function seedDirectoryDemo(platform: Platform, directory: DirectoryService): Promise<string[]> {
  const { db } = platform.database
  const ctx = { userId: null, actor: 'cli', ip: null, requestId: null }
  const boroughs = new Map((await listBoroughs(db)).map((b) => [b.code, b.id]))
  const choices = await directory.searchChoices()
  const needs = new Map(choices.needs.map((t) => [t.code, t.id]))
  const features = new Map(choices.features.map((t) => [t.code, t.id]))
  const lines = ['Demo partner organisations (code: name, borough):']
  for (const d of DEMO) {
    lines.push(`  ${d.code}: ${d.name}, ${d.borough}`)
    const org = await directory.findOrCreatePartnerOrganisation(
      { code: d.code, name: d.name, description: d.description, email: d.email, borough: d.borough },
      ctx,
    )
    if (!org.created || !d.place || !d.service) continue
    const now = nowIso()
    const boroughId = boroughs.get(d.borough) as string
    await db.transaction().execute(async (tx) => {
      const placeId = newId()
      const s = d.service
      await repo.insertLocation(tx, {
        id: placeId,
        code: `${d.code}-place`,
        organisation_id: org.id,
        borough_id: boroughId,
        kind: 'partner-site',
        name: d.place.name,
        description: null,
        address_1: d.place.address_1,
        address_2: null,
        city: 'London',
        postcode: d.place.postcode,
        latitude: postcodeCentroid(d.place.postcode)?.latitude ?? null,
        longitude: postcodeCentroid(d.place.postcode)?.longitude ?? null,
        how_to_get_there: null,
        phone: null,
        email: null,
        public_computers: null,
        assured_date: now.slice(0, 10),
        review_reminded_at: null,
        source: null,
        source_id: null,
        created_at: now,
        updated_at: now,
      })
      await repo.replaceLocationFeatures(
        tx,
        placeId,
        d.place.features.map((f) => ({
          id: newId(),
          term_id: features.get(f) as string,
          details: null,
          checked_on: null,
        })),
      )
      const serviceId = newId()
      await services.insertService(tx, {
        id: serviceId,
        code: `${d.code}-service`,
        organisation_id: org.id,
        borough_id: boroughId,
        name: s.name,
        description: s.description,
        who_for: null,
        eligibility: null,
        cost: 'Free',
        is_free: true,
        how_to_get: s.how_to_get,
        how_to_get_details: null,
        url: null,
        email: d.email,
        phone: null,
        status: 'active',
        alert: null,
        minimum_age: 18,
        maximum_age: null,
        assured_date: now.slice(0, 10),
        owner_email: d.email,
        review_reminded_at: null,
        source: null,
        source_id: null,
        created_at: now,
        updated_at: now,
      })
      await services.setTerms(
        tx,
        serviceId,
        s.needs.map((n) => ({ id: newId(), term_id: needs.get(n) as string })),
      )
      await services.addServiceAtLocation(tx, {
        id: newId(),
        service_id: serviceId,
        location_id: placeId,
        created_at: now,
      })
      await services.replaceSchedules(tx, serviceId, s.hours)
    })
  }
  return lines
}

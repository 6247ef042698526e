import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import type { Db, Tx } from '#platform/database.ts'
import { newId } from '#platform/ids.ts'
import { directoryRepository as repo } from './directory.repository.ts'
import { LIBRARY_ACCESS } from './reference-access.ts'
import { LIBRARIES, LIBRARY_SERVICES } from './reference-data.ts'
import {
  BANK_HOLIDAYS,
  DEFAULT_LIBRARY_HOURS,
  EVERY_LIBRARY_FEATURES,
  ONLINE_RESOURCES,
  PARTNERSHIP_ORGANISATION,
  SERVICES,
  type ServiceDefinition,
} from './reference-services.ts'
import {
  ACCESS_FEATURES,
  FEATURES_TAXONOMY,
  LANGUAGES,
  NEEDS,
  NEEDS_TAXONOMY,
  type TermDefinition,
} from './reference-taxonomy.ts'
import { servicesRepository as services } from './services.repository.ts'

async function loadTaxonomy(tx: Tx, taxonomy: typeof NEEDS_TAXONOMY, terms: TermDefinition[]) {
  const taxonomyId = await repo.upsertTaxonomy(tx, { id: newId(), uri: null, ...taxonomy })
  const ids = new Map<string, string>()
  for (const [i, term] of terms.entries()) {
    const id = await repo.upsertTerm(tx, {
      id: newId(),
      taxonomy_id: taxonomyId,
      code: term.code,
      name: term.name,
      description: term.description,
      parent_id: term.parent ? (ids.get(term.parent) ?? null) : null,
      term_uri: null,
      sort_order: i,
    })
    ids.set(term.code, id)
  }
  return ids
}

/** Adds a shipped service that is missing, with its terms, places and times. Editors own it after. */
async function ensureService(
  tx: Tx,
  s: ServiceDefinition,
  ctx: { organisations: Map<string, string>; boroughs: Map<string, string>; needs: Map<string, string> },
  libraries: { id: string; code: string; borough_id: string }[],
) {
  if (await services.findServiceByCode(tx, s.code)) return
  const now = nowIso()
  const id = newId()
  const boroughId = s.borough ? (ctx.boroughs.get(s.borough) ?? null) : null
  await services.insertService(tx, {
    id,
    code: s.code,
    organisation_id: ctx.organisations.get(s.organisation) as string,
    borough_id: boroughId,
    name: s.name,
    description: s.description,
    who_for: s.who_for,
    eligibility: s.eligibility ?? null,
    cost: s.cost,
    is_free: s.cost.startsWith('Free'),
    how_to_get: s.how_to_get,
    how_to_get_details: s.how_to_get_details,
    url: s.url ?? null,
    email: null,
    phone: null,
    status: 'active',
    alert: null,
    minimum_age: s.minimum_age ?? null,
    maximum_age: s.maximum_age ?? null,
    assured_date: null,
    owner_email: null,
    review_reminded_at: null,
    source: null,
    source_id: null,
    created_at: now,
    updated_at: now,
  })
  await services.setTerms(
    tx,
    id,
    s.needs.map((code) => ({ id: newId(), term_id: ctx.needs.get(code) as string })),
  )
  await services.setLanguages(
    tx,
    id,
    s.languages.map((code) => ({ id: newId(), code, name: LANGUAGES[code] ?? code })),
  )
  const places =
    s.at === 'all'
      ? libraries.filter((l) => !boroughId || l.borough_id === boroughId)
      : libraries.filter((l) => (s.at as string[]).includes(l.code))
  const salByCode = new Map<string, string>()
  for (const l of places) {
    salByCode.set(
      l.code,
      await services.addServiceAtLocation(tx, {
        id: newId(),
        service_id: id,
        location_id: l.id,
        created_at: now,
      }),
    )
  }
  const schedule = s.schedule ?? []
  await services.replaceSchedules(
    tx,
    id,
    schedule.filter((x) => !x.at),
  )
  for (const [code, salId] of salByCode) {
    const here = schedule.filter((x) => x.at === code)
    if (here.length) await services.replaceSchedulesAt(tx, id, salId, here)
  }
}

/**
 * Libraries, the partnership's services, the taxonomy and the digital library, at every start.
 * Vocabularies and organisations are upserted by code; places and services are added when missing and
 * then left to the editors, so a restart never undoes their changes.
 */
export async function loadDirectoryReferenceData(db: Db): Promise<void> {
  const boroughs = new Map((await listBoroughs(db)).map((b) => [b.code, b.id]))
  const now = nowIso()
  await db.transaction().execute(async (tx) => {
    const needs = await loadTaxonomy(tx, NEEDS_TAXONOMY, NEEDS)
    const features = await loadTaxonomy(tx, FEATURES_TAXONOMY, ACCESS_FEATURES)
    const organisations = new Map<string, string>()
    for (const o of [...LIBRARY_SERVICES, { ...PARTNERSHIP_ORGANISATION, borough: null }]) {
      const boroughId = o.borough ? boroughs.get(o.borough) : null
      if (boroughId === undefined) throw new Error(`Reference data names unknown borough ${o.borough}`)
      const { borough, ...fields } = o
      const id = await repo.upsertOrganisation(tx, {
        ...fields,
        id: newId(),
        kind: 'library-service',
        email: null,
        phone: null,
        source: null,
        source_id: null,
        borough_id: boroughId,
        created_at: now,
        updated_at: now,
      })
      organisations.set(o.code, id)
    }
    const libraries: { id: string; code: string; borough_id: string }[] = []
    for (const l of LIBRARIES) {
      const organisationId = organisations.get(l.organisation)
      const boroughId = LIBRARY_SERVICES.find((o) => o.code === l.organisation)?.borough
      if (!organisationId || !boroughId) throw new Error(`Library ${l.code} names unknown organisation`)
      const { organisation, ...fields } = l
      const borough_id = boroughs.get(boroughId) as string
      const { id, isNew } = await repo.ensureLocation(tx, {
        ...fields,
        id: newId(),
        organisation_id: organisationId,
        borough_id,
        kind: 'library',
        address_2: null,
        city: 'London',
        created_at: now,
        updated_at: now,
      })
      libraries.push({ id, code: l.code, borough_id })
      if (isNew) {
        const access = LIBRARY_ACCESS[l.code]
        for (const code of EVERY_LIBRARY_FEATURES)
          await repo.addFeatureIfMissing(tx, {
            id: newId(),
            location_id: id,
            term_id: features.get(code) as string,
            checked_on: null,
          })
        for (const code of access?.features ?? []) {
          const termId = features.get(code)
          if (!termId) throw new Error(`Library ${l.code} has unknown access feature ${code}`)
          await repo.addFeatureIfMissing(tx, {
            id: newId(),
            location_id: id,
            term_id: termId,
            checked_on: access?.checked ?? null,
          })
        }
      }
      if (!(await repo.hasHours(tx, id))) {
        await repo.replaceLocationHours(tx, id, DEFAULT_LIBRARY_HOURS)
      }
      for (const [date, reason] of BANK_HOLIDAYS) {
        await repo.addExceptionIfMissing(tx, {
          id: newId(),
          location_id: id,
          date,
          is_closed: true,
          opens_at: null,
          closes_at: null,
          reason,
        })
      }
    }
    for (const s of SERVICES) await ensureService(tx, s, { organisations, boroughs, needs }, libraries)
    for (const r of ONLINE_RESOURCES)
      await repo.upsertOnlineResource(tx, { ...r, id: newId(), updated_at: now })
  })
}

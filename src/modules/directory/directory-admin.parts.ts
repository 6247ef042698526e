import type { Executor } from '#platform/database.ts'
import { newId } from '#platform/ids.ts'
import { directoryRepository as repo } from './directory.repository.ts'
import type { LocationTable } from './directory.tables.ts'
import { hoursFrom, type PlaceForm, type ServiceForm } from './directory-admin.schemas.ts'
import { normalisePostcode, postcodeCentroid } from './postcodes.ts'
import { FEATURES_TAXONOMY, LANGUAGES } from './reference-taxonomy.ts'
import { servicesRepository as services } from './services.repository.ts'

/** The writes behind the editors' forms: the parts of a service or place a form replaces as a whole. */

/** Names of the fields whose values differ: what the audit records (never the values). */
export function changedFields<T extends object>(before: T | undefined, after: Partial<T>): string[] {
  if (!before) return Object.keys(after)
  return Object.entries(after)
    .filter(
      ([k, v]) =>
        JSON.stringify((before as Record<string, unknown>)[k] ?? null) !== JSON.stringify(v ?? null),
    )
    .map(([k]) => k)
}

export const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x))

export async function writeServiceParts(
  tx: Executor,
  id: string,
  form: ServiceForm,
  now: string,
  replaceSchedules = true,
) {
  await services.setTerms(
    tx,
    id,
    form.needs.map((term_id) => ({ id: newId(), term_id })),
  )
  await services.setLanguages(
    tx,
    id,
    form.languages.map((code) => ({ id: newId(), code, name: LANGUAGES[code] as string })),
  )
  await services.removeServiceAtLocations(tx, id, form.places)
  for (const location_id of form.places)
    await services.addServiceAtLocation(tx, { id: newId(), service_id: id, location_id, created_at: now })
  if (!replaceSchedules) return
  await services.replaceSchedules(tx, id, hoursFrom(form))
}

type Hours = ReturnType<typeof hoursFrom>

/** A service's weekly times as schedule rows: its own, or its times at one of its places. */
/** Whether two sets of weekly times are the same, in any order. */
export const sameHours = (a: Hours, b: Hours) =>
  sameSet(
    a.map((h) => `${h.weekday} ${h.opens_at}-${h.closes_at}`),
    b.map((h) => `${h.weekday} ${h.opens_at}-${h.closes_at}`),
  )

/**
 * The place's features and hours from the form. A feature the editor adds, or every feature when they say
 * they checked the page, is checked today; one left as it was keeps the date it was last checked.
 */
export async function writePlaceParts(tx: Executor, id: string, form: PlaceForm) {
  const features = await repo.termsOfTaxonomy(tx, FEATURES_TAXONOMY.code)
  const known = form.features.filter((f) => features.some((t) => t.id === f))
  const before = new Map((await repo.locationFeatures(tx, [id])).map((f) => [f.term_id, f]))
  const today = new Date().toISOString().slice(0, 10)
  await repo.replaceLocationFeatures(
    tx,
    id,
    known.map((term_id) => ({
      id: newId(),
      term_id,
      details: before.get(term_id)?.details ?? null,
      checked_on: form.checked || !before.has(term_id) ? today : (before.get(term_id)?.checked_on ?? null),
    })),
  )
  await repo.replaceLocationHours(tx, id, hoursFrom(form))
}

/** The place's own columns from the form; a missing position is taken from the postcode district. */
export function placeFields(
  form: PlaceForm,
): Pick<
  LocationTable,
  | 'name'
  | 'description'
  | 'borough_id'
  | 'address_1'
  | 'address_2'
  | 'postcode'
  | 'city'
  | 'latitude'
  | 'longitude'
  | 'how_to_get_there'
  | 'phone'
  | 'email'
  | 'public_computers'
> {
  const postcode = normalisePostcode(form.postcode) ?? form.postcode.toUpperCase()
  const centre = form.latitude === null || form.longitude === null ? postcodeCentroid(postcode) : null
  return {
    name: form.name,
    description: form.description,
    borough_id: form.borough,
    address_1: form.address_1,
    address_2: form.address_2,
    city: 'London',
    postcode,
    latitude: form.latitude ?? centre?.latitude ?? null,
    longitude: form.longitude ?? centre?.longitude ?? null,
    how_to_get_there: form.how_to_get_there,
    phone: form.phone,
    email: form.email,
    public_computers: form.public_computers,
  }
}

import { requireInScope, requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { loadFullServices, loadPlaces } from './directory.read.ts'
import { directoryRepository as repo } from './directory.repository.ts'
import type { ServiceTable } from './directory.tables.ts'
import {
  changedFields,
  placeFields,
  sameHours,
  sameSet,
  writePlaceParts,
  writeServiceParts,
} from './directory-admin.parts.ts'
import {
  type ExceptionForm,
  hoursFrom,
  type PlaceForm,
  type PlaceTimesForm,
  type ServiceForm,
} from './directory-admin.schemas.ts'
import { FEATURES_TAXONOMY, LANGUAGES, NEEDS_TAXONOMY } from './reference-taxonomy.ts'
import { servicesRepository as services } from './services.repository.ts'

const today = () => new Date().toISOString().slice(0, 10)

/**
 * The directory editors' use cases. Each checks the permission first, keeps to the editor's boroughs
 * (a shared service is everyone's), runs in one transaction and audits the names of the fields changed.
 */
export function directoryAdminService(platform: Platform) {
  const { db } = platform.database
  const { audit } = platform

  async function choices(user: StaffUser) {
    const scope = scopeFilter(user)
    const [boroughs, organisations, needs, features, places] = await Promise.all([
      listBoroughs(db),
      repo.listOrganisations(db),
      repo.termsOfTaxonomy(db, NEEDS_TAXONOMY.code),
      repo.termsOfTaxonomy(db, FEATURES_TAXONOMY.code),
      repo.listLocations(db),
    ])
    return {
      boroughs: boroughs.filter((b) => !scope || scope.includes(b.id)),
      organisations,
      needs,
      features,
      places,
      languages: Object.entries(LANGUAGES).map(([code, name]) => ({ code, name })),
    }
  }

  async function requireService(user: StaffUser, id: string) {
    requirePermission(user, 'directory.edit')
    const [service] = isUuid(id) ? await loadFullServices(db, [id]) : []
    if (!service) throw new NotFound()
    requireInScope(user, service.borough_id)
    return service
  }

  async function requirePlace(user: StaffUser, id: string) {
    requirePermission(user, 'directory.edit')
    const place = isUuid(id) ? (await loadPlaces(db, [id])).get(id) : undefined
    if (!place) throw new NotFound()
    requireInScope(user, place.borough_id)
    return place
  }

  /** The service and one of the places it runs at (by the place's id); any other place is not found. */
  async function requireServiceAtPlace(user: StaffUser, id: string, placeId: string) {
    const service = await requireService(user, id)
    const at = service.places.find((p) => p.place.id === placeId)
    if (!at) throw new NotFound()
    return { service, at }
  }

  async function checkServiceChoices(user: StaffUser, form: ServiceForm) {
    const c = await choices(user)
    if (!c.organisations.some((o) => o.id === form.organisation))
      throw new Invalid('Choose the organisation that runs it', 'organisation')
    if (form.borough && !c.boroughs.some((b) => b.id === form.borough))
      throw new Invalid('Choose a borough from the list', 'borough')
    if (!form.borough && scopeFilter(user))
      throw new Invalid('Only someone who works in every borough can make a shared service', 'borough')
    if (form.needs.some((n) => !c.needs.some((t) => t.id === n)))
      throw new Invalid('Choose needs from the list', 'needs')
    const allowedPlaces = c.places.filter((p) => !form.borough || p.borough_id === form.borough)
    if (form.places.some((p) => !allowedPlaces.some((x) => x.id === p)))
      throw new Invalid('Choose places from the list, in the service’s borough', 'places')
  }

  function serviceFields(
    form: ServiceForm,
  ): Omit<
    ServiceTable,
    | 'id'
    | 'code'
    | 'created_at'
    | 'updated_at'
    | 'assured_date'
    | 'review_reminded_at'
    | 'source'
    | 'source_id'
  > {
    return {
      organisation_id: form.organisation,
      borough_id: form.borough || null,
      name: form.name,
      description: form.description,
      who_for: form.who_for,
      eligibility: form.eligibility,
      cost: form.cost,
      is_free: form.is_free,
      how_to_get: form.how_to_get,
      how_to_get_details: form.how_to_get_details,
      url: form.url,
      email: form.email,
      phone: form.phone,
      owner_email: form.owner_email,
      status: form.status,
      alert: form.alert,
      minimum_age: form.minimum_age,
      maximum_age: form.maximum_age,
    }
  }

  return {
    choices,

    async listForStaff(user: StaffUser) {
      requirePermission(user, 'directory.edit')
      const scope = scopeFilter(user)
      const [serviceRows, placeRows] = await Promise.all([services.listForStaff(db), repo.listLocations(db)])
      return {
        services: serviceRows.filter((s) => !scope || !s.borough_id || scope.includes(s.borough_id)),
        places: placeRows.filter((p) => !scope || scope.includes(p.borough_id)),
      }
    },

    getService: requireService,
    getPlace: requirePlace,
    getServiceAtPlace: requireServiceAtPlace,

    /** Adds a service; answers its id. */
    async createService(user: StaffUser, form: ServiceForm, ctx: AuditContext): Promise<string> {
      requirePermission(user, 'directory.edit')
      await checkServiceChoices(user, form)
      const id = newId()
      const now = nowIso()
      await db.transaction().execute(async (tx) => {
        await services.insertService(tx, {
          id,
          code: `service-${id}`,
          ...serviceFields(form),
          // Written by an editor today: checked today, whether or not they ticked the box.
          assured_date: today(),
          review_reminded_at: null,
          source: null,
          source_id: null,
          created_at: now,
          updated_at: now,
        })
        await writeServiceParts(tx, id, form, now)
        await audit.record(tx, ctx, {
          action: 'directory.service.created',
          recordType: 'service',
          recordId: id,
        })
      })
      return id
    },

    /** Saves the whole form; audits which fields changed. */
    async updateService(
      user: StaffUser,
      id: string,
      form: ServiceForm,
      ctx: AuditContext,
    ): Promise<string[]> {
      const before = await requireService(user, id)
      await checkServiceChoices(user, form)
      const fields = serviceFields(form)
      const changed = changedFields(before, fields)
      if (
        !sameSet(
          before.terms.map((t) => t.id),
          form.needs,
        )
      )
        changed.push('needs')
      if (
        !sameSet(
          before.languages.map((l) => l.code),
          form.languages,
        )
      )
        changed.push('languages')
      if (
        !sameSet(
          before.places.map((p) => p.place.id),
          form.places,
        )
      )
        changed.push('places')
      const hours = hoursFrom(form)
      if (!sameHours(before.schedules, hours)) changed.push('schedules')
      if (form.checked) changed.push('assured_date')
      const now = nowIso()
      await db.transaction().execute(async (tx) => {
        await services.updateService(tx, id, {
          ...fields,
          updated_at: now,
          ...(form.checked ? { assured_date: today(), review_reminded_at: null } : {}),
        })
        await writeServiceParts(tx, id, form, now, before.schedules.length > 0 || hours.length > 0)
        await audit.record(tx, ctx, {
          action: 'directory.service.updated',
          recordType: 'service',
          recordId: id,
          fields: changed,
        })
      })
      return changed
    },

    /** Replaces the service's times at one of its places; with none, the service's own times apply. */
    async updateTimesAtPlace(
      user: StaffUser,
      id: string,
      placeId: string,
      form: PlaceTimesForm,
      ctx: AuditContext,
    ): Promise<string[]> {
      const { at } = await requireServiceAtPlace(user, id, placeId)
      const hours = hoursFrom(form)
      const changed = sameHours(at.schedules, hours) ? [] : ['schedules']
      await db.transaction().execute(async (tx) => {
        await services.replaceSchedulesAt(tx, id, at.id, hours)
        await services.updateService(tx, id, { updated_at: nowIso() })
        await audit.record(tx, ctx, {
          action: 'directory.service.place-times-updated',
          recordType: 'service',
          recordId: id,
          fields: changed,
        })
      })
      return changed
    },

    /** Adds a place; answers its id. Coordinates come from the postcode district when not given. */
    async createPlace(user: StaffUser, form: PlaceForm, ctx: AuditContext): Promise<string> {
      requirePermission(user, 'directory.edit')
      requireInScope(user, form.borough)
      const borough = (await listBoroughs(db)).find((b) => b.id === form.borough)
      if (!borough) throw new Invalid('Choose the borough the place is in', 'borough')
      const organisation = (await repo.listOrganisations(db)).find(
        (o) => o.borough_id === borough.id && o.kind === 'library-service',
      )
      if (!organisation) throw new Invalid('That borough has no library service to own the place', 'borough')
      const id = newId()
      const now = nowIso()
      await db.transaction().execute(async (tx) => {
        await repo.insertLocation(tx, {
          id,
          code: `place-${id}`,
          organisation_id: organisation.id,
          kind: 'partner-site',
          ...placeFields(form),
          // Written by an editor today: checked today, whether or not they ticked the box.
          assured_date: today(),
          review_reminded_at: null,
          source: null,
          source_id: null,
          created_at: now,
          updated_at: now,
        })
        await writePlaceParts(tx, id, form)
        await audit.record(tx, ctx, {
          action: 'directory.place.created',
          recordType: 'location',
          recordId: id,
        })
      })
      return id
    },

    async updatePlace(user: StaffUser, id: string, form: PlaceForm, ctx: AuditContext): Promise<string[]> {
      const before = await requirePlace(user, id)
      requireInScope(user, form.borough)
      if (!(await listBoroughs(db)).some((b) => b.id === form.borough))
        throw new Invalid('Choose the borough the place is in', 'borough')
      const fields = placeFields(form)
      const changed = changedFields(before, fields)
      if (
        !sameSet(
          before.features.map((f) => f.term_id),
          form.features,
        )
      )
        changed.push('features')
      const hours = hoursFrom(form)
      if (!sameHours(before.hours, hours)) changed.push('hours')
      if (form.checked) changed.push('assured_date')
      await db.transaction().execute(async (tx) => {
        await repo.updateLocation(tx, id, {
          ...fields,
          updated_at: nowIso(),
          ...(form.checked ? { assured_date: today(), review_reminded_at: null } : {}),
        })
        await writePlaceParts(tx, id, form)
        await audit.record(tx, ctx, {
          action: 'directory.place.updated',
          recordType: 'location',
          recordId: id,
          fields: changed,
        })
      })
      return changed
    },

    async addException(user: StaffUser, placeId: string, form: ExceptionForm, ctx: AuditContext) {
      await requirePlace(user, placeId)
      if (form.date < today()) throw new Invalid('The date must be today or in the future', 'date')
      await db.transaction().execute(async (tx) => {
        await repo.upsertException(tx, {
          id: newId(),
          location_id: placeId,
          date: form.date,
          is_closed: form.closed === 'yes',
          opens_at: form.closed === 'yes' ? null : form.opens_at,
          closes_at: form.closed === 'yes' ? null : form.closes_at,
          reason: form.reason,
        })
        await repo.updateLocation(tx, placeId, { updated_at: nowIso() })
        await audit.record(tx, ctx, {
          action: 'directory.place.exception-added',
          recordType: 'location',
          recordId: placeId,
          fields: ['opening_exceptions'],
        })
      })
    },

    /** Removing a day that is already gone (a second click, a stale page) changes nothing and is no error. */
    async removeException(user: StaffUser, placeId: string, exceptionId: string, ctx: AuditContext) {
      await requirePlace(user, placeId)
      if (!isUuid(exceptionId)) return
      await db.transaction().execute(async (tx) => {
        const result = await repo.deleteException(tx, placeId, exceptionId)
        if (Number(result.numDeletedRows) !== 1) return
        await audit.record(tx, ctx, {
          action: 'directory.place.exception-removed',
          recordType: 'location',
          recordId: placeId,
          fields: ['opening_exceptions'],
        })
      })
    },
  }
}

export type DirectoryAdminService = ReturnType<typeof directoryAdminService>

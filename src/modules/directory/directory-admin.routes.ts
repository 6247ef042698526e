import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { joinDateInputs, linkToDay } from '#platform/date-input.ts'
import { Invalid } from '#platform/errors.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import { type FormResult, parseForm, refusal } from '#platform/validation.ts'
import type { FullService, Place } from './directory.read.ts'
import { exceptionSchema, placeSchema, placeTimesSchema, serviceSchema } from './directory-admin.schemas.ts'
import type { DirectoryAdminService } from './directory-admin.service.ts'
import { HOW_TO_GET, SERVICE_STATUSES } from './reference-taxonomy.ts'

type IdParams = { Params: { id: string } }
type AtPlaceParams = { Params: { id: string; placeId: string } }
const LISTS = ['needs', 'languages', 'places', 'features']

/** The directory editors' pages: every service and place, and a form for each. */
export function directoryAdminRoutes(app: FastifyInstance, admin: DirectoryAdminService) {
  const policy = { config: { access: 'directory.edit' as const } }

  app.get('/staff/directory', policy, async (request, reply) => {
    const { services, places } = await admin.listForStaff(staffUser(request))
    const stale = new Date(Date.now() - 183 * 86_400_000).toISOString().slice(0, 10)
    return reply.render('directory/views/staff/directory.njk', { services, places, stale })
  })

  // --- services ---

  async function renderService(
    request: FastifyRequest,
    reply: FastifyReply,
    ctx: Record<string, unknown>,
    status = 200,
  ) {
    const choices = await admin.choices(staffUser(request))
    return reply.render(
      'directory/views/staff/service-form.njk',
      { ...choices, howToGet: HOW_TO_GET, statuses: SERVICE_STATUSES, ...ctx },
      status,
    )
  }

  app.get('/staff/directory/services/new', policy, async (request, reply) =>
    renderService(request, reply, {
      values: {
        status: 'active',
        how_to_get: 'drop-in',
        is_free: 'yes',
        needs: [],
        languages: ['en'],
        places: [],
      },
    }),
  )

  app.post('/staff/directory/services/new', policy, async (request, reply) => {
    const values = formValues(request.body)
    const form = parseForm(serviceSchema, request.body)
    if (!form.ok) return renderService(request, reply, { ...form, values }, 400)
    const id = await refuseInvalid(() =>
      admin.createService(staffUser(request), form.data, auditContext(request)),
    )
    if (typeof id !== 'string') return renderService(request, reply, { ...id, values }, 400)
    return seeOther(reply, `/staff/directory/services/${id}?saved=1`)
  })

  app.get<IdParams>('/staff/directory/services/:id', policy, async (request, reply) => {
    const service = await admin.getService(staffUser(request), request.params.id)
    const { saved, at } = request.query as Record<string, string>
    return renderService(request, reply, {
      service,
      values: serviceValues(service),
      saved,
      savedAt: service.places.find((p) => p.place.id === at)?.place.name,
    })
  })

  app.post<IdParams>('/staff/directory/services/:id', policy, async (request, reply) => {
    const user = staffUser(request)
    const service = await admin.getService(user, request.params.id)
    const values = formValues(request.body)
    const form = parseForm(serviceSchema, request.body)
    if (!form.ok) return renderService(request, reply, { ...form, service, values }, 400)
    const result = await refuseInvalid(() =>
      admin.updateService(user, service.id, form.data, auditContext(request)),
    )
    if (!Array.isArray(result)) return renderService(request, reply, { ...result, service, values }, 400)
    return seeOther(reply, `/staff/directory/services/${service.id}?saved=1`)
  })

  // --- a service's times at one of its places (the place's id) ---

  const timesPage = 'directory/views/staff/service-place-times.njk'

  app.get<AtPlaceParams>('/staff/directory/services/:id/places/:placeId', policy, async (request, reply) => {
    const { id, placeId } = request.params
    const { service, at } = await admin.getServiceAtPlace(staffUser(request), id, placeId)
    return reply.render(timesPage, { service, at, values: hoursValues(at.schedules) })
  })

  app.post<AtPlaceParams>('/staff/directory/services/:id/places/:placeId', policy, async (request, reply) => {
    const user = staffUser(request)
    const { service, at } = await admin.getServiceAtPlace(user, request.params.id, request.params.placeId)
    const form = parseForm(placeTimesSchema, request.body)
    if (!form.ok)
      return reply.render(timesPage, { ...form, service, at, values: formValues(request.body) }, 400)
    await admin.updateTimesAtPlace(user, service.id, at.place.id, form.data, auditContext(request))
    return seeOther(reply, `/staff/directory/services/${service.id}?saved=times&at=${at.place.id}`)
  })

  // --- places ---

  async function renderPlace(
    request: FastifyRequest,
    reply: FastifyReply,
    ctx: Record<string, unknown>,
    status = 200,
  ) {
    const choices = await admin.choices(staffUser(request))
    return reply.render('directory/views/staff/place-form.njk', { ...choices, ...ctx }, status)
  }

  app.get('/staff/directory/places/new', policy, async (request, reply) =>
    renderPlace(request, reply, { values: { features: [] } }),
  )

  app.post('/staff/directory/places/new', policy, async (request, reply) => {
    const values = formValues(request.body)
    const form = parseForm(placeSchema, request.body)
    if (!form.ok) return renderPlace(request, reply, { ...form, values }, 400)
    const id = await refuseInvalid(() =>
      admin.createPlace(staffUser(request), form.data, auditContext(request)),
    )
    if (typeof id !== 'string') return renderPlace(request, reply, { ...id, values }, 400)
    return seeOther(reply, `/staff/directory/places/${id}?saved=1`)
  })

  app.get<IdParams>('/staff/directory/places/:id', policy, async (request, reply) => {
    const place = await admin.getPlace(staffUser(request), request.params.id)
    return renderPlace(request, reply, {
      place,
      values: placeValues(place),
      exceptionValues: { closed: 'yes' },
      saved: (request.query as Record<string, string>).saved,
    })
  })

  app.post<IdParams>('/staff/directory/places/:id', policy, async (request, reply) => {
    const user = staffUser(request)
    const place = await admin.getPlace(user, request.params.id)
    const values = formValues(request.body)
    const form = parseForm(placeSchema, request.body)
    if (!form.ok)
      return renderPlace(request, reply, { ...form, place, values, exceptionValues: { closed: 'yes' } }, 400)
    const result = await refuseInvalid(() =>
      admin.updatePlace(user, place.id, form.data, auditContext(request)),
    )
    if (!Array.isArray(result))
      return renderPlace(
        request,
        reply,
        { ...result, place, values, exceptionValues: { closed: 'yes' } },
        400,
      )
    return seeOther(reply, `/staff/directory/places/${place.id}?saved=1`)
  })

  app.post<IdParams>('/staff/directory/places/:id/exceptions', policy, async (request, reply) => {
    const user = staffUser(request)
    const place = await admin.getPlace(user, request.params.id)
    const exceptionValues = formValues(request.body)
    // The date comes as day, month and year (the GOV.UK date input).
    const form = parseForm(exceptionSchema, joinDateInputs(request.body, ['date']))
    const again = (f: Extract<FormResult<never>, { ok: false }>) =>
      renderPlace(
        request,
        reply,
        { ...f, errors: linkToDay(f.errors, ['date']), place, values: placeValues(place), exceptionValues },
        400,
      )
    if (!form.ok) return again(form)
    const result = await refuseInvalid(() =>
      admin.addException(user, place.id, form.data, auditContext(request)),
    )
    if (result && 'errors' in result) return again(result)
    return seeOther(reply, `/staff/directory/places/${place.id}?saved=exception#exceptions`)
  })

  app.post<{ Params: { id: string; exceptionId: string } }>(
    '/staff/directory/places/:id/exceptions/:exceptionId/delete',
    policy,
    async (request, reply) => {
      await admin.removeException(
        staffUser(request),
        request.params.id,
        request.params.exceptionId,
        auditContext(request),
      )
      return seeOther(reply, `/staff/directory/places/${request.params.id}?saved=exception#exceptions`)
    },
  )
}

/** Runs a use case; a rule it refuses comes back as the form's errors instead of an error page. */
async function refuseInvalid<T>(
  run: () => Promise<T>,
): Promise<T | Extract<FormResult<never>, { ok: false }>> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof Invalid) return refusal(error.message, error.field)
    throw error
  }
}

/** What the person typed or ticked, to show again with the errors. */
function formValues(body: unknown): Record<string, unknown> {
  const b = { ...((body ?? {}) as Record<string, unknown>) }
  for (const k of LISTS) b[k] = b[k] === undefined ? [] : Array.isArray(b[k]) ? b[k] : [b[k]]
  return b
}

function hoursValues(rows: { weekday: number; opens_at: string; closes_at: string }[]) {
  const v: Record<string, string> = {}
  for (const r of rows) {
    v[`open${r.weekday}`] = r.opens_at
    v[`close${r.weekday}`] = r.closes_at
  }
  return v
}

function serviceValues(s: FullService) {
  return {
    ...s,
    organisation: s.organisation_id,
    borough: s.borough_id ?? '',
    is_free: s.is_free ? 'yes' : 'no',
    needs: s.terms.map((t) => t.id),
    languages: s.languages.map((l) => l.code),
    places: s.places.map((p) => p.place.id),
    ...hoursValues(s.schedules),
  }
}

function placeValues(p: Place) {
  return { ...p, borough: p.borough_id, features: p.features.map((f) => f.term_id), ...hoursValues(p.hours) }
}

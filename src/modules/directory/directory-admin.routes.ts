import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { joinDateInputs, linkToDay } from '#platform/date-input.ts'
import { NO_ANSWERS, postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import type { FullService, Place } from './directory.read.ts'
import { exceptionSchema, placeSchema, placeTimesSchema, serviceSchema } from './directory-admin.schemas.ts'
import type { DirectoryAdminService } from './directory-admin.service.ts'
import { HOW_TO_GET, SERVICE_STATUSES } from './reference-taxonomy.ts'

type IdParams = { Params: { id: string } }
type AtPlaceParams = { Params: { id: string; placeId: string } }
/** The checkbox groups of the services' and places' forms. */
const LISTS = ['needs', 'languages', 'places', 'features']

/** The directory editors' pages: every service and place, and a form for each. */
export function directoryAdminRoutes(app: FastifyInstance, admin: DirectoryAdminService) {
  const policy = { config: { access: 'directory.edit' as const } }
  const form = { access: 'directory.edit' as const, lists: LISTS }

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

  postForm(
    app,
    '/staff/directory/services/new',
    {
      ...form,
      schema: serviceSchema,
      invalid: (request, reply, failure) => renderService(request, reply, failure, 400),
    },
    async (request, reply, data) => {
      const id = await admin.createService(staffUser(request), data, auditContext(request))
      return seeOther(reply, `/staff/directory/services/${id}?saved=1`)
    },
  )

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

  postForm<typeof serviceSchema, IdParams>(
    app,
    '/staff/directory/services/:id',
    {
      ...form,
      schema: serviceSchema,
      invalid: async (request, reply, failure) => {
        const service = await admin.getService(staffUser(request), request.params.id)
        return renderService(request, reply, { ...failure, service }, 400)
      },
    },
    async (request, reply, data) => {
      const user = staffUser(request)
      const service = await admin.getService(user, request.params.id)
      await admin.updateService(user, service.id, data, auditContext(request))
      return seeOther(reply, `/staff/directory/services/${service.id}?saved=1`)
    },
  )

  // --- a service's times at one of its places (the place's id) ---

  const timesPage = 'directory/views/staff/service-place-times.njk'

  app.get<AtPlaceParams>('/staff/directory/services/:id/places/:placeId', policy, async (request, reply) => {
    const { id, placeId } = request.params
    const { service, at } = await admin.getServiceAtPlace(staffUser(request), id, placeId)
    return reply.render(timesPage, { service, at, values: hoursValues(at.schedules) })
  })

  postForm<typeof placeTimesSchema, AtPlaceParams>(
    app,
    '/staff/directory/services/:id/places/:placeId',
    {
      access: 'directory.edit',
      schema: placeTimesSchema,
      invalid: async (request, reply, failure) => {
        const { id, placeId } = request.params
        const { service, at } = await admin.getServiceAtPlace(staffUser(request), id, placeId)
        return reply.render(timesPage, { ...failure, service, at }, 400)
      },
    },
    async (request, reply, data) => {
      const user = staffUser(request)
      const { service, at } = await admin.getServiceAtPlace(user, request.params.id, request.params.placeId)
      await admin.updateTimesAtPlace(user, service.id, at.place.id, data, auditContext(request))
      return seeOther(reply, `/staff/directory/services/${service.id}?saved=times&at=${at.place.id}`)
    },
  )

  // --- places ---

  async function renderPlace(
    request: FastifyRequest,
    reply: FastifyReply,
    ctx: Record<string, unknown>,
    status = 200,
  ) {
    const choices = await admin.choices(staffUser(request))
    // When each of the place's features was last checked, beside its box.
    const place = ctx.place as { features?: { term_id: string; checked_on: string | null }[] } | undefined
    const featureChecked = Object.fromEntries((place?.features ?? []).map((f) => [f.term_id, f.checked_on]))
    return reply.render(
      'directory/views/staff/place-form.njk',
      { ...choices, ...ctx, featureChecked },
      status,
    )
  }

  app.get('/staff/directory/places/new', policy, async (request, reply) =>
    renderPlace(request, reply, { values: { features: [] } }),
  )

  postForm(
    app,
    '/staff/directory/places/new',
    {
      ...form,
      schema: placeSchema,
      invalid: (request, reply, failure) => renderPlace(request, reply, failure, 400),
    },
    async (request, reply, data) => {
      const id = await admin.createPlace(staffUser(request), data, auditContext(request))
      return seeOther(reply, `/staff/directory/places/${id}?saved=1`)
    },
  )

  app.get<IdParams>('/staff/directory/places/:id', policy, async (request, reply) => {
    const place = await admin.getPlace(staffUser(request), request.params.id)
    return renderPlace(request, reply, {
      place,
      values: placeValues(place),
      exceptionValues: { closed: 'yes' },
      saved: (request.query as Record<string, string>).saved,
    })
  })

  postForm<typeof placeSchema, IdParams>(
    app,
    '/staff/directory/places/:id',
    {
      ...form,
      schema: placeSchema,
      invalid: async (request, reply, failure) => {
        const place = await admin.getPlace(staffUser(request), request.params.id)
        return renderPlace(request, reply, { ...failure, place, exceptionValues: { closed: 'yes' } }, 400)
      },
    },
    async (request, reply, data) => {
      const user = staffUser(request)
      const place = await admin.getPlace(user, request.params.id)
      await admin.updatePlace(user, place.id, data, auditContext(request))
      return seeOther(reply, `/staff/directory/places/${place.id}?saved=1`)
    },
  )

  // The place's page has two forms: the exception's answers go back in its own fields.
  postForm<z.ZodType<z.infer<typeof exceptionSchema>>, IdParams>(
    app,
    '/staff/directory/places/:id/exceptions',
    {
      access: 'directory.edit',
      // The date comes as day, month and year (the GOV.UK date input).
      schema: z.preprocess((body) => joinDateInputs(body, ['date']), exceptionSchema),
      invalid: async (request, reply, { values, ...failure }) => {
        const place = await admin.getPlace(staffUser(request), request.params.id)
        const errors = linkToDay(failure.errors, ['date'])
        const again = { ...failure, errors, place, values: placeValues(place), exceptionValues: values }
        return renderPlace(request, reply, again, 400)
      },
    },
    async (request, reply, data) => {
      const user = staffUser(request)
      const place = await admin.getPlace(user, request.params.id)
      await admin.addException(user, place.id, data, auditContext(request))
      return seeOther(reply, `/staff/directory/places/${place.id}?saved=exception#exceptions`)
    },
  )

  postForm<typeof NO_ANSWERS, { Params: { id: string; exceptionId: string } }>(
    app,
    '/staff/directory/places/:id/exceptions/:exceptionId/delete',
    {
      access: 'directory.edit',
      schema: NO_ANSWERS,
      invalid: (request, reply) => seeOther(reply, `/staff/directory/places/${request.params.id}`),
    },
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

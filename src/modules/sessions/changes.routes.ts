import type { FastifyInstance, FastifyRequest } from 'fastify'
import { dateInputItems, linkToDay } from '#platform/date-input.ts'
import { type FormFailure, postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import type { DirectoryService } from '../directory/index.ts'
import { DATE_CHANGE_DATES, dateChangeSchema, seriesChangeSchema } from './changes.schemas.ts'
import { when } from './session.labels.ts'
import type { SessionService } from './session.service.ts'

type IdParams = { Params: { id: string } }
const V = 'sessions/views/staff'
const manage = 'sessions.manage' as const

/** Staff change a series from now on, or one date of it (or cancel that date), each for a reason. */
export function sessionsChangeRoutes(
  app: FastifyInstance,
  sessions: SessionService,
  directory: Pick<DirectoryService, 'listLibraries'>,
) {
  async function librariesOf(boroughId: string) {
    return (await directory.listLibraries()).filter((l) => l.borough_id === boroughId)
  }

  async function seriesPage(request: FastifyRequest<IdParams>) {
    const series = await sessions.seriesToEdit(staffUser(request), request.params.id)
    return { ...series, libraries: await librariesOf(series.session.borough_id) }
  }

  app.get<IdParams>('/staff/sessions/:id/edit', { config: { access: manage } }, async (request, reply) => {
    const page = await seriesPage(request)
    const { session, rule } = page
    const values = {
      title: session.title,
      locationId: session.location_id ?? '',
      capacity: session.capacity,
      startTime: rule.startTime,
      endTime: rule.endTime,
      facilitatorId: page.facilitatorId,
    }
    return reply.render(`${V}/edit-series.njk`, { ...page, values })
  })

  postForm<typeof seriesChangeSchema, IdParams>(
    app,
    '/staff/sessions/:id/edit',
    {
      access: manage,
      schema: seriesChangeSchema,
      invalid: async (request, reply, failure) =>
        reply.render(`${V}/edit-series.njk`, { ...(await seriesPage(request)), ...failure }, 400),
    },
    async (request, reply, v) => {
      await sessions.changeSeries(
        staffUser(request),
        request.params.id,
        { ...v, locationId: v.locationId || null, facilitatorId: v.facilitatorId || null },
        auditContext(request),
      )
      return seeOther(reply, `/staff/sessions/${request.params.id}?changed=1`)
    },
  )

  async function datePage(request: FastifyRequest<IdParams>, failure?: FormFailure) {
    const page = await sessions.dateToEdit(staffUser(request), request.params.id)
    const { occurrence, wall } = page
    const [year, month, day] = wall.start.date.split('-')
    const values = failure?.values ?? {
      'date-day': String(Number(day)),
      'date-month': String(Number(month)),
      'date-year': year,
      startTime: wall.start.time,
      endTime: wall.end.time,
      locationId: occurrence.location_id ?? '',
      capacity: occurrence.capacity,
      facilitatorId: page.facilitatorId,
    }
    return {
      ...page,
      ...failure,
      errors: failure ? linkToDay(failure.errors, DATE_CHANGE_DATES) : undefined,
      values,
      dateItems: dateInputItems(values, 'date', Boolean(failure?.fieldErrors.date)),
      when: when(occurrence.starts_at, occurrence.ends_at),
      libraries: await librariesOf(occurrence.borough_id),
    }
  }

  app.get<IdParams>(
    '/staff/sessions/dates/:id/change',
    { config: { access: manage } },
    async (request, reply) => reply.render(`${V}/change-date.njk`, await datePage(request)),
  )

  postForm<typeof dateChangeSchema, IdParams>(
    app,
    '/staff/sessions/dates/:id/change',
    {
      access: manage,
      schema: dateChangeSchema,
      invalid: async (request, reply, failure) =>
        reply.render(`${V}/change-date.njk`, await datePage(request, failure), 400),
    },
    async (request, reply, v) => {
      await sessions.changeDate(
        staffUser(request),
        request.params.id,
        { ...v, locationId: v.locationId || null, facilitatorId: v.facilitatorId || null },
        auditContext(request),
      )
      return seeOther(reply, `/staff/sessions/dates/${request.params.id}?changed=1`)
    },
  )
}

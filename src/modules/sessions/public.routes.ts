import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { joinDateInputs } from '#platform/date-input.ts'
import { type FormFailure, postForm } from '#platform/forms.ts'
import { auditContext, seeOther } from '#platform/http.ts'
import { londonToUtc } from '#platform/london.ts'
import { type DirectoryService, distanceMetres, postcodeCentroid } from '../directory/index.ts'
import { formatReference, parseReference } from '../referrals/index.ts'
import { sessionsChangeBookingRoutes } from './change-booking.routes.ts'
import { bookingICalendar, icalendar } from './icalendar.ts'
import { when } from './session.labels.ts'
import { bookingSchema, referenceSchema } from './session.schemas.ts'
import type { SessionService } from './session.service.ts'
import { isKind, needsCarer } from './session.ts'

type IdParams = { Params: { id: string } }
const V = 'sessions/views/public'

/**
 * The public pages: find a session, book it without an account, and come back with the reference and the
 * contact detail to see, cancel, take an offered place or download it for a calendar.
 */
export function sessionsPublicRoutes(
  app: FastifyInstance,
  sessions: SessionService,
  directory: Pick<DirectoryService, 'listLibraries' | 'getPlace' | 'version'>,
  opts: { cookieSecure: boolean },
) {
  const pub = { config: { access: 'public' as const } }
  // __Host-: only this origin, over HTTPS; holds the reference just made, for the confirmation page.
  const cookieName = opts.cookieSecure ? '__Host-hub_booking' : 'hub_booking'

  /** The booking this browser has just made or changed, for its confirmation page, for an hour. */
  function remember(reply: FastifyReply, reference: string) {
    reply.setCookie(cookieName, reference, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.cookieSecure,
      signed: true,
      maxAge: 3600,
    })
  }

  function remembered(request: FastifyRequest): string | null {
    const raw = request.cookies[cookieName]
    const unsigned = raw ? request.unsignCookie(raw) : null
    return unsigned?.valid ? parseReference(unsigned.value) : null
  }

  async function places() {
    const libraries = await directory.listLibraries()
    return new Map(libraries.map((l) => [l.id, l]))
  }

  // The list is the same for every resident asking the same thing: kept rendered while its sessions, places
  // taken and libraries are unchanged, and for the minute it was made in (it lists dates from now on).
  const listVersion = async () =>
    `sessions ${await sessions.listVersion()} ${await directory.version()} ${Math.floor(Date.now() / 60_000)}`
  const list = { config: { access: 'public' as const, pageVersion: listVersion } }

  app.get('/sessions', list, async (request, reply) => {
    const q = request.query as Record<string, string | undefined>
    const [boroughs, byId] = await Promise.all([sessions.boroughs(), places()])
    const borough = boroughs.find((b) => b.code === q.borough)
    const now = new Date().toISOString()
    const { date } = joinDateInputs(q, ['date'])
    // From the start of that day in London; a day that does not exist is shown as an error, listing from now.
    const from = typeof date === 'string' ? londonToUtc(date, '00:00') : now
    const rows = await sessions.publicList({
      from: from && from > now ? from : now,
      boroughId: borough?.id,
      locationId: q.place && byId.has(q.place) ? q.place : undefined,
      kind: isKind(q.kind) ? q.kind : undefined,
      language: q.language || undefined,
    })
    const point = q.postcode ? postcodeCentroid(q.postcode) : null
    const metres = (locationId: string | null) => {
      const at = locationId && point ? postcodeCentroid(byId.get(locationId)?.postcode ?? '') : null
      return at && point ? distanceMetres(point, at) : null
    }
    const shown = rows.map((r) => ({
      ...r,
      when: when(r.starts_at, r.ends_at),
      place: r.location_id ? (byId.get(r.location_id)?.name ?? '') : '',
      left: Math.max(0, r.capacity - r.booked),
      miles: metres(r.location_id),
    }))
    // Nearest first when a postcode is given (sessions at home or online after); soonest first within a place.
    if (point) shown.sort((a, b) => (a.miles ?? Infinity) - (b.miles ?? Infinity))
    return reply.render(`${V}/list.njk`, {
      query: q,
      boroughs,
      places: [...byId.values()],
      postcodeUnknown: Boolean(q.postcode && !point),
      dateInvalid: from === null,
      sessions: shown.map((s) => ({
        ...s,
        miles: s.miles === null ? null : (s.miles / 1609.344).toFixed(1),
      })),
    })
  })

  async function occurrencePage(id: string) {
    const occurrence = await sessions.publicOccurrence(id)
    const place = occurrence.location_id ? (await places()).get(occurrence.location_id) : undefined
    // The place's access features as the directory keeps them (step-free, hearing loop...), dated.
    const features = place ? (await directory.getPlace(place.id)).place.features : []
    return {
      occurrence,
      place,
      features,
      when: when(occurrence.starts_at, occurrence.ends_at),
      left: Math.max(0, occurrence.capacity - occurrence.booked),
      carer: needsCarer(occurrence.kind),
    }
  }

  /** A library's sessions to come, as an iCalendar feed a calendar app can subscribe to. */
  app.get<IdParams>('/sessions/places/:id/calendar.ics', pub, async (request, reply) => {
    const place = (await places()).get(request.params.id)
    if (!place) return reply.callNotFound()
    const rows = await sessions.publicList({ from: new Date().toISOString(), locationId: place.id }, 500)
    return reply.type('text/calendar; charset=utf-8').send(
      icalendar(
        rows.map((r) => ({
          uid: `${r.id}@digital-inclusion-hub`,
          startsAt: r.starts_at,
          endsAt: r.ends_at,
          summary: r.title,
          location: `${place.name}, ${place.address_1}, ${place.postcode}`,
        })),
      ),
    )
  })

  app.get<IdParams>('/sessions/:id', pub, async (request, reply) =>
    reply.render(`${V}/session.njk`, await occurrencePage(request.params.id)),
  )

  app.get<IdParams>('/sessions/:id/book', pub, async (request, reply) =>
    reply.render(`${V}/book.njk`, { ...(await occurrencePage(request.params.id)), values: {} }),
  )

  postForm<typeof bookingSchema, IdParams>(
    app,
    '/sessions/:id/book',
    {
      access: 'public',
      rateLimit: 20,
      schema: bookingSchema,
      invalid: async (request, reply, failure) =>
        reply.render(`${V}/book.njk`, { ...(await occurrencePage(request.params.id)), ...failure }, 400),
    },
    async (request, reply, data) => {
      const made = await sessions.book(
        { ...data, occurrenceId: request.params.id },
        auditContext(request, 'public'),
      )
      remember(reply, made.reference)
      return seeOther(reply, '/sessions/booked')
    },
  )

  app.get('/sessions/booked', pub, async (request, reply) => {
    const reference = remembered(request)
    if (!reference) return seeOther(reply, '/sessions')
    const booking = await sessions.justMade(reference)
    return reply.render(`${V}/booked.njk`, {
      changed: (request.query as { changed?: string }).changed === '1',
      reference: formatReference(reference),
      status: booking.status,
      sessionTitle: booking.title,
      when: when(booking.starts_at, booking.ends_at),
    })
  })

  /** The calendar file of the booking just made or changed, without asking for the contact detail again. */
  app.get('/sessions/booked/calendar.ics', pub, async (request, reply) => {
    const reference = remembered(request)
    if (!reference) return seeOther(reply, '/sessions')
    const { booking, occurrence } = await sessions.justMadeCalendar(reference)
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="session-${booking.reference}.ics"`)
      .send(bookingICalendar(booking, occurrence))
  })

  sessionsChangeBookingRoutes(app, sessions, remember)

  app.get('/sessions/booking', pub, async (_request, reply) =>
    reply.render(`${V}/find-booking.njk`, { values: {} }),
  )

  const findAgain = (_request: FastifyRequest, reply: FastifyReply, failure: FormFailure) =>
    reply.render(`${V}/find-booking.njk`, { ...failure }, 400)

  postForm(
    app,
    '/sessions/booking',
    { access: 'public', rateLimit: 20, schema: referenceSchema, invalid: findAgain },
    async (_request, reply, data) => {
      const { booking, occurrence } = await sessions.mine(data.reference, data.contact)
      return reply.render(`${V}/booking.njk`, {
        booking,
        occurrence,
        reference: formatReference(booking.reference),
        contact: data.contact,
        when: when(occurrence.starts_at, occurrence.ends_at),
      })
    },
  )

  postForm(
    app,
    '/sessions/booking/cancel',
    { access: 'public', rateLimit: 20, schema: referenceSchema, invalid: findAgain },
    async (request, reply, data) => {
      await sessions.cancel(data.reference, data.contact, auditContext(request, 'public'))
      return seeOther(reply, '/sessions/booking/cancelled')
    },
  )

  postForm(
    app,
    '/sessions/booking/claim',
    { access: 'public', rateLimit: 20, schema: referenceSchema, invalid: findAgain },
    async (request, reply, data) => {
      await sessions.claim(data.reference, data.contact, auditContext(request, 'public'))
      return seeOther(reply, '/sessions/booking/claimed')
    },
  )

  postForm(
    app,
    '/sessions/booking/calendar',
    { access: 'public', rateLimit: 20, schema: referenceSchema, invalid: findAgain },
    async (_request, reply, data) => {
      const { booking, occurrence } = await sessions.mine(data.reference, data.contact)
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="session-${booking.reference}.ics"`)
        .send(bookingICalendar(booking, occurrence))
    },
  )

  for (const done of ['cancelled', 'claimed'] as const)
    app.get(`/sessions/booking/${done}`, pub, async (_request, reply) => reply.render(`${V}/${done}.njk`, {}))
}

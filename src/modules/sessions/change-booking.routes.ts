import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type FormFailure, postForm } from '#platform/forms.ts'
import { auditContext, seeOther } from '#platform/http.ts'
import { formatReference } from '../referrals/index.ts'
import { when } from './session.labels.ts'
import { referenceSchema, required } from './session.schemas.ts'
import type { SessionService } from './session.service.ts'

const V = 'sessions/views/public'

const changeSchema = referenceSchema.extend({
  occurrenceId: required('sessions.errors.otherDateMissing', 'occurrenceId', 40),
})

/**
 * A resident moves their booking to another date of the same session, with the reference and the contact
 * detail they gave: the dates to choose from, then the change; the confirmation page remembers it.
 */
export function sessionsChangeBookingRoutes(
  app: FastifyInstance,
  sessions: SessionService,
  remember: (reply: FastifyReply, reference: string) => void,
) {
  async function datesPage(reference: string, contact: string) {
    const { booking, current, dates } = await sessions.otherDates(reference, contact)
    return {
      booking,
      reference: formatReference(booking.reference),
      contact,
      title: current.title,
      when: when(current.starts_at, current.ends_at),
      dates: dates.map((d) => ({ id: d.id, left: d.left, when: when(d.starts_at, d.ends_at) })),
    }
  }

  const findAgain = (_request: FastifyRequest, reply: FastifyReply, failure: FormFailure) =>
    reply.render(`${V}/find-booking.njk`, { ...failure }, 400)

  postForm(
    app,
    '/sessions/booking/dates',
    { access: 'public', rateLimit: 20, schema: referenceSchema, invalid: findAgain },
    async (_request, reply, data) =>
      reply.render(`${V}/change-booking.njk`, {
        ...(await datesPage(data.reference, data.contact)),
        values: {},
      }),
  )

  postForm(
    app,
    '/sessions/booking/change',
    {
      access: 'public',
      rateLimit: 20,
      schema: changeSchema,
      invalid: async (request, reply, failure) => {
        const { reference, contact } = failure.values as { reference?: string; contact?: string }
        // The reference and contact detail came from the page itself; if they no longer find it, start again.
        const page = await datesPage(String(reference ?? ''), String(contact ?? '')).catch(() => null)
        if (!page) return findAgain(request, reply, failure)
        return reply.render(`${V}/change-booking.njk`, { ...page, ...failure }, 400)
      },
    },
    async (request, reply, data) => {
      const made = await sessions.changeBooking(
        data.reference,
        data.contact,
        data.occurrenceId,
        auditContext(request, 'public'),
      )
      remember(reply, made.reference)
      return seeOther(reply, '/sessions/booked?changed=1')
    },
  )
}

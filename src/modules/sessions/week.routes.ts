import type { FastifyInstance } from 'fastify'
import { staffUser } from '#platform/http.ts'
import { when } from './session.labels.ts'
import type { SessionService } from './session.service.ts'

const DAY = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
})
const dayName = (date: string) => DAY.format(new Date(`${date}T12:00:00Z`)).replace(',', '')

/** The week view of a library: a GET form to choose the place, links to the weeks before and after. */
export function sessionsWeekRoutes(app: FastifyInstance, sessions: SessionService) {
  app.get('/staff/sessions/week', { config: { access: 'sessions.view' } }, async (request, reply) => {
    const query = request.query as { place?: string; week?: string }
    const week = await sessions.week(staffUser(request), { placeId: query.place, day: query.week })
    const link = (monday: string) => `/staff/sessions/week?place=${week.place?.id ?? ''}&week=${monday}`
    return reply.render('sessions/views/staff/week.njk', {
      ...week,
      heading: dayName(week.monday),
      previousHref: link(week.previous),
      nextHref: link(week.next),
      days: week.days.map((d) => ({
        ...d,
        name: dayName(d.day),
        dates: d.dates.map((o) => ({ ...o, time: when(o.starts_at, o.ends_at).split(', ').pop() })),
      })),
    })
  })
}

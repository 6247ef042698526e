import type { FastifyInstance, FastifyRequest } from 'fastify'
import { formFailure } from '#platform/forms.ts'
import { staffUser } from '#platform/http.ts'
import { londonToday } from '#platform/london.ts'
import { parseForm } from '#platform/validation.ts'
import { dateAnswers, withDateItems } from './device.dates.ts'
import { DATES, figuresSinceSchema } from './device.schemas.ts'
import type { DeviceService } from './device.service.ts'
import { figuresCsv } from './figures.ts'

const V = 'devices/views'
const SINCE_FIELDS = ['since-day', 'since-month', 'since-year'] as const

/** From the first day of the month a year ago: twelve whole months and this one. */
function defaultSince(): string {
  const d = new Date(`${londonToday().slice(0, 7)}-01T00:00:00Z`)
  d.setUTCFullYear(d.getUTCFullYear() - 1)
  return d.toISOString().slice(0, 10)
}

/**
 * The day the figures count from: the date input's answers in the address (a link, so no date means the
 * default), what was typed to put back in the fields, and the problem when it is not a real date.
 */
function sinceOf(request: FastifyRequest) {
  const query = request.query as Record<string, unknown>
  const typed = Object.fromEntries(SINCE_FIELDS.map((k) => [k, String(query[k] ?? '').trim()]))
  const form = parseForm(figuresSinceSchema, typed)
  if (!form.ok) return { typed, failure: form }
  const since = form.data.since || defaultSince()
  return { since, values: form.data.since ? typed : dateAnswers('since', since) }
}

/** /staff/devices/figures, for funders and the partnership, and the same as a spreadsheet. */
export function figuresRoutes(app: FastifyInstance, devices: DeviceService) {
  const view = { config: { access: 'devices.view' as const } }

  app.get('/staff/devices/figures', view, async (request, reply) => {
    const asked = sinceOf(request)
    if (asked.failure) {
      const failure = formFailure(request.t, asked.failure, asked.typed)
      return reply.render(`${V}/figures.njk`, withDateItems(DATES.figures, failure), 400)
    }
    const figures = await devices.figures(staffUser(request), asked.since)
    return reply.render(
      `${V}/figures.njk`,
      withDateItems(DATES.figures, {
        ...figures,
        since: asked.since,
        values: asked.values,
        sinceQuery: new URLSearchParams(asked.values).toString(),
      }),
    )
  })

  app.get('/staff/devices/figures.csv', view, async (request, reply) => {
    // The page's own link carries a date it has checked; anything else counts from the default.
    const { since = defaultSince() } = sinceOf(request)
    const { rows, followUps } = await devices.figures(staffUser(request), since)
    const t = request.t
    const csv = figuresCsv(rows, followUps, {
      kind: (kind) => t(`devices.kind.${kind}`),
      using: (answer) => t(`devices.followUp.using.${answer}`),
      use: (use) => t(`devices.followUp.use.${use}`),
      asked: t('devices.followUp.asked'),
      heading: t('devices.followUp.figuresHeading'),
    })
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="device-figures-${londonToday()}.csv"`)
      .send(csv)
  })
}

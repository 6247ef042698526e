import { stringify } from 'csv-stringify/sync'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { can } from '#platform/access.ts'
import { type FormFailure, postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import { londonToday } from '#platform/london.ts'
import type { HoursService } from './hours.service.ts'
import { decideSchema } from './volunteers.schemas.ts'

type Params = { Params: { id: string } }
const NO_FAILURE = { errors: [], fieldErrors: {}, values: {} }
const V = 'volunteers/views'

/** The year asked for (not personal data, so a GET form); this year otherwise. */
function year(request: FastifyRequest): number {
  const asked = String([(request.query as Record<string, unknown>).year].flat()[0] ?? '')
  return /^20\d{2}$/.test(asked) ? Number(asked) : Number(londonToday().slice(0, 4))
}

/** A cell Excel will not run as a formula. */
export function csvCell(value: string | number): string | number {
  if (typeof value === 'number') return value
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

/** Hours waiting for approval, the year's figures and their CSV, and the thank-you letter. */
export function hoursRoutes(app: FastifyInstance, hours: HoursService) {
  const view = { config: { access: 'volunteers.view' as const } }

  async function pendingPage(
    request: FastifyRequest,
    reply: FastifyReply,
    failure: FormFailure = NO_FAILURE,
  ) {
    const user = staffUser(request)
    return reply.render(
      `${V}/hours.njk`,
      { ...failure, pending: await hours.pending(user), canManage: can(user, 'volunteers.manage') },
      reply.statusCode,
    )
  }
  app.get('/staff/volunteers/hours', view, (request, reply) => pendingPage(request, reply))
  postForm<typeof decideSchema, Params>(
    app,
    '/staff/volunteers/hours/:id',
    {
      access: 'volunteers.manage',
      schema: decideSchema,
      // Another borough's hours are not found, whatever was sent.
      invalid: async (request, reply, failure) => {
        await hours.inScope(staffUser(request), request.params.id)
        return pendingPage(request, reply, failure)
      },
    },
    async (request, reply, data) => {
      await hours.decide(
        staffUser(request),
        request.params.id,
        data.decision === 'approve',
        auditContext(request),
      )
      return seeOther(reply, '/staff/volunteers/hours')
    },
  )

  app.get('/staff/volunteers/figures', view, async (request, reply) => {
    const figures = await hours.figures(staffUser(request), year(request))
    return reply.render(`${V}/figures.njk`, figures)
  })

  app.get('/staff/volunteers/figures.csv', view, async (request, reply) => {
    const f = await hours.figures(staffUser(request), year(request))
    const t = request.t
    const k = (key: string) => t(`volunteers.figures.${key}`)
    const rows: (string | number)[][] = [
      [k('csv.borough'), k('csv.measure'), k('csv.period'), k('csv.value')],
    ]
    const y = String(f.year)
    for (const b of f.boroughs) {
      rows.push([b.name, k('applications'), y, b.applications])
      rows.push([b.name, k('active'), londonToday(), b.active])
      rows.push([b.name, k('hours'), y, b.hours])
      for (const m of b.byMonth) rows.push([b.name, k('hours'), m.month, m.hours])
      for (const p of b.byPlace) rows.push([b.name, `${k('hours')}: ${p.place}`, y, p.hours])
      rows.push([b.name, k('trainingCompleted'), y, b.trainingCompleted])
      rows.push([b.name, k('everActive'), londonToday(), b.everActive])
      rows.push([b.name, k('retained'), londonToday(), b.retained])
    }
    // A byte order mark so Excel reads UTF-8; Windows line ends; formulas kept as text.
    const csv = `\ufeff${stringify(
      rows.map((r) => r.map(csvCell)),
      { record_delimiter: '\r\n' },
    )}`
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="volunteer-figures-${f.year}.csv"`)
      .send(csv)
  })

  app.get<Params>('/staff/volunteers/:id/letter', view, async (request, reply) => {
    const letter = await hours.letter(staffUser(request), request.params.id, year(request))
    return reply.render(`${V}/letter.njk`, letter)
  })
}

import { stringify } from 'csv-stringify/sync'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { staffUser } from '#platform/http.ts'
import { londonToday } from '#platform/london.ts'
import { first } from './choices.ts'
import type { FiguresService } from './figures.service.ts'
import { csvCell, monthName, monthsOf } from './figures.ts'
import { FORMATS, LEFT_REASONS } from './member.ts'

/** The date and year asked for (not personal data, so a GET form); today and this year otherwise. */
function asked(request: FastifyRequest) {
  const q = request.query as Record<string, unknown>
  const today = londonToday()
  const on =
    /^\d{4}-\d{2}-\d{2}$/.test(first(q.on)) && !Number.isNaN(Date.parse(first(q.on))) ? first(q.on) : today
  const year = /^20\d{2}$/.test(first(q.year)) ? Number(first(q.year)) : Number(today.slice(0, 4))
  return { on, year }
}

/** The service's figures, on a page and as a CSV file that opens correctly in Excel. */
export function figuresRoutes(app: FastifyInstance, figures: FiguresService) {
  const policy = { config: { access: 'home-library.figures' as const } }

  app.get('/staff/home-library/figures', policy, async (request, reply) => {
    const result = await figures.figures(staffUser(request), asked(request))
    return reply.render('home-library/views/figures.njk', {
      ...result,
      months: monthsOf(result.year).map((m) => ({ value: m, text: monthName(m) })),
      formats: FORMATS,
      leftReasons: LEFT_REASONS,
    })
  })

  app.get('/staff/home-library/figures.csv', policy, async (request, reply) => {
    const result = await figures.figures(staffUser(request), asked(request))
    const t = request.t
    const rows: (string | number)[][] = [
      [
        t('homeLibrary.figures.csv.borough'),
        t('homeLibrary.figures.csv.measure'),
        t('homeLibrary.figures.csv.period'),
        t('homeLibrary.figures.csv.value'),
      ],
    ]
    const year = String(result.year)
    for (const b of result.boroughs) {
      rows.push([b.name, t('homeLibrary.figures.active'), result.on, b.active])
      rows.push([b.name, t('homeLibrary.figures.joined'), year, b.joined])
      for (const r of LEFT_REASONS)
        rows.push([
          b.name,
          `${t('homeLibrary.figures.left')}: ${t(`homeLibrary.leftReason.${r}`)}`,
          year,
          b.left[r] ?? 0,
        ])
      rows.push([b.name, t('homeLibrary.figures.visitsDone'), year, b.visitsDone])
      rows.push([b.name, t('homeLibrary.figures.visitsMissed'), year, b.visitsMissed])
      rows.push([b.name, t('homeLibrary.figures.digitalMinutes'), year, b.digitalMinutes])
      rows.push([b.name, t('homeLibrary.figures.peopleVisited'), year, b.peopleVisited])
      rows.push([b.name, t('homeLibrary.figures.itemsTotal'), year, b.itemsTotal])
      for (const month of monthsOf(result.year))
        for (const f of FORMATS)
          rows.push([
            b.name,
            `${t('homeLibrary.figures.items')}: ${t(`homeLibrary.format.${f}`)}`,
            month,
            b.items[month]?.[f] ?? 0,
          ])
    }
    // A byte order mark so Excel reads UTF-8; formulas are kept as text.
    const csv = `\ufeff${stringify(
      rows.map((r) => r.map(csvCell)),
      { record_delimiter: '\r\n' },
    )}`
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="home-library-figures-${result.year}.csv"`)
      .send(csv)
  })
}

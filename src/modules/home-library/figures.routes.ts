import { stringify } from 'csv-stringify/sync'
import type { FastifyInstance } from 'fastify'
import { staffUser } from '#platform/http.ts'
import { askedFigures, figuresPage } from './figures.page.ts'
import type { FiguresService } from './figures.service.ts'
import { csvCell, monthsOf } from './figures.ts'
import { FORMATS, LEFT_REASONS } from './member.ts'

/** The service's figures, on a page and as a CSV file that opens correctly in Excel. */
export function figuresRoutes(app: FastifyInstance, figures: FiguresService) {
  const policy = { config: { access: 'home-library.figures' as const } }

  app.get('/staff/home-library/figures', policy, async (request, reply) => {
    const asked = askedFigures(request)
    const result = await figures.figures(staffUser(request), asked)
    return reply.render(
      'home-library/views/figures.njk',
      figuresPage(request.t, result, asked),
      asked.errors.length ? 400 : 200,
    )
  })

  app.get('/staff/home-library/figures.csv', policy, async (request, reply) => {
    const result = await figures.figures(staffUser(request), askedFigures(request))
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

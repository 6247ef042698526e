import type { FastifyInstance, FastifyRequest } from 'fastify'
import { formFailure, postForm } from '#platform/forms.ts'
import { auditContext, seeOther } from '#platform/http.ts'
import { parseForm } from '#platform/validation.ts'
import type { DirectoryService } from './directory.service.ts'
import type { Choices } from './directory.snapshot.ts'
import { findHelpSchema, normaliseTime } from './find-help.schemas.ts'
import { reportSchema } from './keeping-true.schemas.ts'
import type { KeepingTrueService } from './keeping-true.service.ts'
import { WEEKDAYS } from './reference-taxonomy.ts'

const PAGE_SIZE = 20
type IdParams = { Params: { id: string } }

/**
 * The search form's choices as the govuk macros take them, with what the person chose marked. Made here
 * rather than in the template: a template loop that builds a list costs many times more.
 */
function searchItems(t: FastifyRequest['t'], choices: Choices, values: Record<string, unknown>) {
  const chosen = new Set(values.feature as unknown[])
  return {
    needs: choices.needs,
    needItems: [{ value: '', text: t('findHelp.anyNeed') }].concat(
      choices.needs.map((n) => ({
        value: n.code,
        text: (n.parent_id ? '— ' : '') + t(`findHelp.needs.${n.code}`),
        selected: n.code === values.need,
      })),
    ),
    boroughItems: [{ value: '', text: t('findHelp.anyBorough') }].concat(
      choices.boroughs.map((b) => ({
        value: b.code,
        text: b.short_name,
        selected: b.code === values.borough,
      })),
    ),
    featureItems: choices.features.map((f) => ({
      value: f.code,
      text: t(`findHelp.featureNames.${f.code}`),
      checked: chosen.has(f.code),
    })),
    dayItems: [{ value: '', text: t('findHelp.anyDay') }].concat(
      WEEKDAYS.map(String).map((d) => ({
        value: d,
        text: t(`findHelp.days.${d}`),
        selected: d === values.day,
      })),
    ),
  }
}

/** The public directory: search, a page for each service and each place, the online library, reports. */
export function findHelpRoutes(
  app: FastifyInstance,
  directory: DirectoryService,
  keeping: KeepingTrueService,
) {
  const pub = { config: { access: 'public' as const } }
  // Searches and listings read only the directory: kept rendered until it changes.
  const published = { config: { access: 'public' as const, pageVersion: directory.version } }
  // A service's page shows its live capacity as well, which changes far more often than the rest.
  const live = { config: { access: 'public' as const, pageVersion: directory.serviceVersion } }

  app.get('/find-help', published, async (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>
    const values = { ...query, feature: [query.feature ?? []].flat() }
    const choices = searchItems(request.t, await directory.searchChoices(), values)
    const form = parseForm(findHelpSchema, query)
    if (!form.ok) {
      const failure = formFailure(request.t, form, query, { lists: ['feature'] })
      return reply.render('directory/views/find-help.njk', { ...choices, ...failure }, 400)
    }
    const q = form.data
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(values)) {
      if (k === 'page') continue
      for (const one of [v].flat()) if (typeof one === 'string' && one) params.append(k, one)
    }
    // Nothing asked yet: the form, and the kinds of help to choose from. No search to run.
    if (!params.toString()) return reply.render('directory/views/find-help.njk', { ...choices, values })
    const { total, services } = await directory.findHelp(
      { ...q, time: q.time ? normaliseTime(q.time) : undefined },
      PAGE_SIZE,
      (q.page - 1) * PAGE_SIZE,
    )
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
    return reply.render('directory/views/find-help.njk', {
      ...choices,
      values,
      total,
      services,
      page: Math.min(q.page, pages),
      pages,
      pageLink: (n: number) => `/find-help?${params.toString()}&page=${n}`,
    })
  })

  app.get<IdParams>('/find-help/services/:id', live, async (request, reply) => {
    const service = await directory.getService(request.params.id)
    return reply.render('directory/views/service.njk', { service, stale: staleDate() })
  })

  app.get('/find-help/places', published, async (_request, reply) => {
    const places = await directory.listPlaces()
    const byBorough = new Map<string, typeof places>()
    for (const p of places) byBorough.set(p.borough, [...(byBorough.get(p.borough) ?? []), p])
    return reply.render('directory/views/places.njk', { boroughs: [...byBorough.entries()] })
  })

  app.get<IdParams>('/find-help/places/:id', published, async (request, reply) => {
    const { place, organisation, services } = await directory.getPlace(request.params.id)
    return reply.render('directory/views/place.njk', { place, organisation, services, stale: staleDate() })
  })

  app.get('/find-help/online', pub, async (_request, reply) => {
    const resources = await directory.listOnlineResources()
    const categories = [...new Set(resources.map((r) => r.category))]
    return reply.render('directory/views/online.njk', {
      categories: categories.map((c) => ({ code: c, resources: resources.filter((r) => r.category === c) })),
    })
  })

  // "Report a problem with this page": a public form (rate limited, honeypot, CSRF) to the listing's owner.
  for (const kind of ['services', 'places'] as const) {
    const recordType = kind === 'services' ? 'service' : 'location'
    const pageUrl = (id: string) => `/find-help/${kind}/${id}`

    app.get<IdParams>(`/find-help/${kind}/:id/report`, pub, async (request, reply) => {
      const record = await keeping.reportable(recordType, request.params.id)
      return reply.render('directory/views/report.njk', { record, back: pageUrl(record.id), values: {} })
    })

    postForm<typeof reportSchema, IdParams>(
      app,
      `/find-help/${kind}/:id/report`,
      {
        access: 'public',
        rateLimit: 10,
        schema: reportSchema,
        invalid: async (request, reply, failure) => {
          const record = await keeping.reportable(recordType, request.params.id)
          return reply.render(
            'directory/views/report.njk',
            { record, back: pageUrl(record.id), ...failure },
            400,
          )
        },
      },
      async (request, reply, data) => {
        const record = await keeping.reportable(recordType, request.params.id)
        await keeping.reportProblem(recordType, record.id, data.details, auditContext(request, 'public'))
        return seeOther(reply, `${pageUrl(record.id)}/report/sent`)
      },
    )

    app.get<IdParams>(`/find-help/${kind}/:id/report/sent`, pub, async (request, reply) => {
      const record = await keeping.reportable(recordType, request.params.id)
      return reply.render('directory/views/report-sent.njk', { record, back: pageUrl(record.id) })
    })
  }
}

/** Pages not checked since this date say so. */
function staleDate(): string {
  return new Date(Date.now() - 183 * 86_400_000).toISOString().slice(0, 10)
}

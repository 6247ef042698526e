import type { FastifyInstance, FastifyRequest } from 'fastify'
import { formFailure, postForm } from '#platform/forms.ts'
import { auditContext, seeOther } from '#platform/http.ts'
import { parseForm } from '#platform/validation.ts'
import type { DirectoryService } from './directory.service.ts'
import type { Choices } from './directory.snapshot.ts'
import { pagination, resultsList } from './find-help.results.ts'
import { findHelpSchema, normaliseTime } from './find-help.schemas.ts'
import { reportSchema } from './keeping-true.schemas.ts'
import type { KeepingTrueService } from './keeping-true.service.ts'
import { distanceMetres, normalisePostcode, postcodeCentroid } from './postcodes.ts'
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
    // A postcode beyond the boroughs and their neighbours: said so, and the borough search offered instead.
    const outside = form.data.postcode && !postcodeCentroid(form.data.postcode) ? form.data.postcode : null
    const q = { ...form.data, postcode: outside ? undefined : form.data.postcode }
    if (outside && !q.need && !q.borough && !q.feature.length && !q.day)
      return reply.render('directory/views/find-help.njk', { ...choices, values, outside })
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
    const page = Math.min(q.page, pages)
    const near = q.postcode ? normalisePostcode(q.postcode)?.split(' ')[0] : undefined
    const address = params.toString()
    return reply.render('directory/views/find-help.njk', {
      ...choices,
      values,
      outside,
      total,
      services,
      results: resultsList(request.t, services, near),
      pages,
      paging: pages > 1 ? pagination(request.t, page, pages, (n) => `/find-help?${address}&page=${n}`) : '',
    })
  })

  // After a postcode search the link carries the postcode's district (never the full postcode): the
  // service's places then come nearest first, with how far each is.
  app.get<IdParams & { Querystring: { near?: string } }>(
    '/find-help/services/:id',
    live,
    async (request, reply) => {
      const service = await directory.getService(request.params.id)
      const from = typeof request.query.near === 'string' ? postcodeCentroid(request.query.near) : null
      const places = service.places.map((p) => ({
        ...p,
        distanceMetres:
          from && p.place.latitude !== null && p.place.longitude !== null
            ? distanceMetres(from, { latitude: p.place.latitude, longitude: p.place.longitude })
            : null,
      }))
      if (from) places.sort((a, b) => (a.distanceMetres ?? Infinity) - (b.distanceMetres ?? Infinity))
      return reply.render('directory/views/service.njk', {
        service,
        places,
        phones: [...new Set(service.places.map((p) => p.place.phone).filter(Boolean))],
        stale: staleDate(),
      })
    },
  )

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

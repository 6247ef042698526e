import type { FastifyInstance, FastifyRequest } from 'fastify'
import { formFailure, postForm } from '#platform/forms.ts'
import { auditContext, seeOther } from '#platform/http.ts'
import { parseForm } from '#platform/validation.ts'
import type { DirectoryService } from './directory.service.ts'
import type { DirectorySnapshot } from './directory.snapshot.ts'
import { type KeptResults, pagination, resultsList } from './find-help.results.ts'
import { findHelpSchema, normaliseTime } from './find-help.schemas.ts'
import { reportSchema } from './keeping-true.schemas.ts'
import type { KeepingTrueService } from './keeping-true.service.ts'
import { distanceMetres, normalisePostcode, postcodeCentroid } from './postcodes.ts'
import { WEEKDAYS } from './reference-taxonomy.ts'

const PAGE_SIZE = 20
type IdParams = { Params: { id: string } }

/**
 * The search form's choices as the govuk macros take them, with what the person chose marked. Made here
 * rather than in the template: a template loop that builds a list costs many times more. Each list is
 * made once per state of the directory, language and choice (kept with the snapshot), and `keys` name
 * the same for the markup kept of each (`component` in views.ts), so that a search nobody made before
 * neither makes the lists again nor writes them out as a key.
 */
function searchItems(t: FastifyRequest['t'], locale: string, directory: DirectorySnapshot, values: Values) {
  const { choices } = directory
  const need = choices.needs.find((n) => n.code === values.need)?.code ?? ''
  const borough = choices.boroughs.find((b) => b.code === values.borough)?.code ?? ''
  const chosen = new Set(values.feature)
  const features = choices.features.filter((f) => chosen.has(f.code)).map((f) => f.code)
  const day = WEEKDAYS.map(String).find((d) => d === values.day) ?? ''
  const stamp = `find-help ${directory.version} ${directory.day} ${locale}`
  const kept = <T>(what: string, make: () => T) => directory.memo(`${stamp} ${what}`, make)
  return {
    needs: choices.needs,
    needItems: kept(`need ${need}`, () =>
      [{ value: '', text: t('findHelp.anyNeed') }].concat(
        choices.needs.map((n) => ({
          value: n.code,
          text: (n.parent_id ? '— ' : '') + t(`findHelp.needs.${n.code}`),
          selected: n.code === need,
        })),
      ),
    ),
    boroughItems: kept(`borough ${borough}`, () =>
      [{ value: '', text: t('findHelp.anyBorough') }].concat(
        choices.boroughs.map((b) => ({ value: b.code, text: b.short_name, selected: b.code === borough })),
      ),
    ),
    featureItems: kept(`features ${features.join(' ')}`, () =>
      choices.features.map((f) => ({
        value: f.code,
        text: t(`findHelp.featureNames.${f.code}`),
        checked: chosen.has(f.code),
      })),
    ),
    dayItems: kept(`day ${day}`, () =>
      [{ value: '', text: t('findHelp.anyDay') }].concat(
        WEEKDAYS.map(String).map((d) => ({ value: d, text: t(`findHelp.days.${d}`), selected: d === day })),
      ),
    ),
    keys: {
      need: `${stamp} need ${need}`,
      borough: `${stamp} borough ${borough}`,
      features: `${stamp} features ${features.join(' ')}`,
      // Open when any feature is asked for, even one not in the list.
      featureBox: `${stamp} features ${features.join(' ')} ${values.feature.length > 0}`,
      day: `${stamp} day ${day}`,
    },
  }
}

type Values = Record<string, unknown> & { feature: unknown[] }

/** The public directory: search, a page for each service and each place, the online library, reports. */
export function findHelpRoutes(
  app: FastifyInstance,
  directory: DirectoryService,
  keeping: KeepingTrueService,
) {
  const pub = { config: { access: 'public' as const } }
  // The directory as the request found it, read once for the page cache's key and the page (one query
  // of its counters a request): what the page shows is then exactly the version it is kept under, and a
  // change committed before the request came is in it, whichever process made the change.
  const asFound = new WeakMap<FastifyRequest, Promise<DirectorySnapshot>>()
  const published = (request: FastifyRequest) => {
    let found = asFound.get(request)
    if (!found) {
      found = directory.current()
      asFound.set(request, found)
    }
    return found
  }
  // Searches and listings read only the directory: kept rendered until it changes.
  const listing = {
    config: {
      access: 'public' as const,
      pageVersion: async (request: FastifyRequest) => directory.version(await published(request)),
    },
  }
  // A service's page shows its live capacity as well, which changes far more often than the rest.
  const live = {
    config: {
      access: 'public' as const,
      pageVersion: async (request: FastifyRequest) => directory.serviceVersion(await published(request)),
    },
  }

  app.get('/find-help', listing, async (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>
    const values = { ...query, feature: [query.feature ?? []].flat() }
    const snapshot = await published(request)
    const choices = searchItems(request.t, request.locale.code, snapshot, values)
    const form = parseForm(findHelpSchema, query)
    if (!form.ok) {
      const failure = formFailure(request.t, form, query, { lists: ['feature'] })
      // With errors shown beside them, the lists' markup is not the kept one.
      return reply.render('directory/views/find-help.njk', { ...choices, keys: {}, ...failure }, 400)
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
    const address = params.toString()
    if (!address) return reply.render('directory/views/find-help.njk', { ...choices, values })
    const { total, services } = await directory.findHelp(
      { ...q, time: q.time ? normaliseTime(q.time) : undefined },
      PAGE_SIZE,
      (q.page - 1) * PAGE_SIZE,
      snapshot,
    )
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
    const page = Math.min(q.page, pages)
    const near = q.postcode ? normalisePostcode(q.postcode)?.split(' ')[0] : undefined
    // Each service's markup as any search shows it, kept until the directory changes: some 700 bytes a
    // service shown, per language.
    return reply.render('directory/views/find-help.njk', {
      ...choices,
      values,
      outside,
      total,
      services,
      results: resultsList(
        request.t,
        services,
        near,
        snapshot.memo(`find-help results ${request.locale.code}`, (): KeptResults => new Map()),
      ),
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
      const service = await directory.getService(request.params.id, await published(request))
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

  app.get('/find-help/places', listing, async (_request, reply) => {
    const places = await directory.listPlaces()
    const byBorough = new Map<string, typeof places>()
    for (const p of places) byBorough.set(p.borough, [...(byBorough.get(p.borough) ?? []), p])
    return reply.render('directory/views/places.njk', { boroughs: [...byBorough.entries()] })
  })

  app.get<IdParams>('/find-help/places/:id', listing, async (request, reply) => {
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

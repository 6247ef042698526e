import type { FastifyInstance, FastifyReply } from 'fastify'
import { Invalid } from '#platform/errors.ts'
import { isUuid } from '#platform/ids.ts'
import { checkParams, LIST_PARAMS, paging, parseServiceQuery } from './openreferral.query.ts'
import type { OpenReferralService } from './openreferral.service.ts'

export const OPEN_REFERRAL_PREFIX = '/api/openreferral'
const PROFILE = 'https://github.com/openreferral/uk-profile'
const OPENAPI = 'https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json'

type IdParams = { Params: { id: string } }

/**
 * The Open Referral UK API: public, read-only, no key, readable from any other site (CORS *).
 * Errors are JSON with the parameter they are about; unknown paths under the prefix are JSON 404s.
 */
export function openReferralRoutes(app: FastifyInstance, api: OpenReferralService) {
  app.register(
    async (scope) => {
      const pub = { config: { access: 'public' as const } }

      scope.addHook('onSend', async (_request, reply, payload) => {
        reply.header('access-control-allow-origin', '*')
        reply.header('cross-origin-resource-policy', 'cross-origin')
        if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'public, max-age=60')
        return payload
      })
      scope.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'Not found' }))

      // Browsers ask before some cross-site requests; the answer is always yes, for reading.
      scope.options('/*', pub, async (_request, reply: FastifyReply) =>
        reply
          .code(204)
          .header('access-control-allow-methods', 'GET, OPTIONS')
          .header('access-control-allow-headers', 'Content-Type, Accept')
          .header('access-control-max-age', '86400')
          .send(),
      )

      scope.get('/', pub, async (request) => {
        checkParams(request.query as Record<string, unknown>, [])
        return { version: '3.0', profile: PROFILE, openapi_url: OPENAPI }
      })

      scope.get('/services', pub, async (request, reply) =>
        reply
          .type('application/json; charset=utf-8')
          .send(await api.services(parseServiceQuery(request.query as never))),
      )
      scope.get<IdParams>('/services/:id', pub, async (request) => {
        checkParams(request.query as Record<string, unknown>, [])
        return api.service(badId(request.params.id))
      })

      scope.get('/service_at_locations', pub, async (request) =>
        api.serviceAtLocations(parseServiceQuery(request.query as never)),
      )
      scope.get<IdParams>('/service_at_locations/:id', pub, async (request) => {
        checkParams(request.query as Record<string, unknown>, [])
        return api.serviceAtLocation(badId(request.params.id))
      })

      scope.get('/taxonomies', pub, async (request) =>
        api.taxonomies(paging(checkParams(request.query as Record<string, unknown>, LIST_PARAMS))),
      )
      scope.get<IdParams>('/taxonomies/:id', pub, async (request) => {
        checkParams(request.query as Record<string, unknown>, [])
        return api.taxonomy(badId(request.params.id))
      })

      scope.get('/taxonomy_terms', pub, async (request) => {
        const params = checkParams(request.query as Record<string, unknown>, [...LIST_PARAMS, 'taxonomy_id'])
        const taxonomyId = params.taxonomy_id
        if (taxonomyId && !isUuid(taxonomyId))
          throw new Invalid(`'taxonomy_id' must be a UUID`, 'taxonomy_id')
        return api.taxonomyTerms({ ...paging(params), taxonomyId: taxonomyId?.toLowerCase() })
      })
      scope.get<IdParams>('/taxonomy_terms/:id', pub, async (request) => {
        checkParams(request.query as Record<string, unknown>, [])
        return api.taxonomyTerm(badId(request.params.id))
      })
    },
    { prefix: OPEN_REFERRAL_PREFIX },
  )
}

/** A malformed id is the caller's mistake (400); a well-formed one we do not have is a 404. */
function badId(id: string): string {
  if (!isUuid(id)) throw new Invalid('The id must be a UUID', 'id')
  return id
}

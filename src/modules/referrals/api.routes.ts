import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Invalid } from '#platform/errors.ts'
import { translateMessage } from '#platform/forms.ts'
import { sha256 } from '#platform/hash.ts'
import { auditContext } from '#platform/http.ts'
import { nestedDeeperThan } from '#platform/json-depth.ts'
import { PRIVACY_NOTICE_VERSION } from '#platform/pages.routes.ts'
import type { AccountService } from '../accounts/index.ts'
import { openApiDocument } from './openapi.ts'
import { apiReferralSchema } from './refer.schemas.ts'
import type { ReferralService } from './referral.service.ts'
import { formatReference } from './referral.ts'

/** Partners send many referrals from one office address: a higher limit than a public form. */
const API_RATE_LIMIT = 600
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,100}$/
const MAX_DEPTH = 8

/**
 * The partner API: JSON, authenticated by the organisation's Bearer API key (so no cookie and no CSRF
 * token). Answers carry status and outcome codes only, never case notes, and only to the organisation
 * that made the referral.
 */
export function apiRoutes(app: FastifyInstance, referrals: ReferralService, accounts: AccountService) {
  const api = { config: { access: 'public' as const, csrf: false as const, rateLimit: API_RATE_LIMIT } }

  async function organisation(request: FastifyRequest, reply: FastifyReply): Promise<string | null> {
    const header = request.headers.authorization ?? ''
    const match = header.match(/^Bearer\s+(\S+)$/i)
    const org = match?.[1] ? await accounts.organisationForApiKey(match[1]) : null
    if (!org) {
      reply.header('www-authenticate', 'Bearer').code(401).send({ error: 'A valid API key is required' })
      return null
    }
    return org
  }

  app.get('/api/v1/openapi.json', { config: { access: 'public' } }, async () => openApiDocument())

  // Not a form: a bad body answers 400 with the problems as JSON, not a page.
  const send = { config: { ...api.config, body: apiReferralSchema } }

  app.post('/api/v1/referrals', send, async (request, reply) => {
    const org = await organisation(request, reply)
    if (!org) return reply
    const key = request.headers['idempotency-key']
    if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)))
      return reply.code(400).send({
        error: 'The request has errors',
        errors: [{ field: 'Idempotency-Key', message: 'Use 8 to 100 letters, digits, or . _ : -' }],
      })
    // A referral is a few levels deep; a body nested far deeper is hostile and would overflow the hash.
    if (nestedDeeperThan(request.body, MAX_DEPTH))
      return reply.code(400).send({
        error: 'The request has errors',
        errors: [{ field: 'body', message: `Nest objects and arrays no more than ${MAX_DEPTH} deep` }],
      })
    const parsed = apiReferralSchema.safeParse(request.body ?? {})
    if (!parsed.success)
      return reply.code(400).send({
        error: 'The request has errors',
        errors: parsed.error.issues.map((i) => ({
          field: i.path.map(String).join('.') || 'body',
          message: translateMessage(request.t, i.message),
        })),
      })
    try {
      const result = await referrals.submit(
        { ...parsed.data, onBehalf: true },
        {
          source: 'partner-api',
          organisationId: org,
          idempotency: key ? { key, bodyHash: sha256(JSON.stringify(request.body)) } : undefined,
          privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
        },
        { ...auditContext(request, 'partner-api'), userId: null },
      )
      // A retry with the same Idempotency-Key gets the first answer again, marked as a replay.
      if (!result.created) reply.header('idempotent-replayed', 'true')
      return reply
        .code(201)
        .header('location', `/api/v1/referrals/${formatReference(result.reference)}`)
        .send({ reference: formatReference(result.reference), status: result.status })
    } catch (error) {
      if (!(error instanceof Invalid)) throw error
      return reply.code(400).send({
        error: 'The request has errors',
        errors: [
          {
            field: (error.field ?? 'body').replace(/-/g, '.'),
            message: translateMessage(request.t, error.message),
          },
        ],
      })
    }
  })

  app.get<{ Params: { reference: string } }>('/api/v1/referrals/:reference', api, async (request, reply) => {
    const org = await organisation(request, reply)
    if (!org) return reply
    const found = await referrals.statusForPartner(org, request.params.reference)
    if (!found) return reply.code(404).send({ error: 'Not found' })
    if (found === 'refused')
      return reply
        .code(403)
        .send({ error: 'No data-sharing agreement in force covers telling you about this referral' })
    return { ...found, reference: formatReference(found.reference) }
  })
}

import { createHmac, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { nestedDeeperThan } from '#platform/json-depth.ts'
import type { MailReportService } from './mail-reports.service.ts'

export const MAIL_EVENTS_PATH = '/api/partnership/mail-events'
/** The header a provider signs the body in: `sha256=` and the HMAC-SHA256 of the raw body, in hex. */
export const SIGNATURE_HEADER = 'x-hub-signature-256'

/** What a provider posts: a list of bounces and complaints. */
export const mailEventsSchema = z
  .array(
    z.strictObject({
      email: z.string().trim().min(3).max(254).includes('@'),
      type: z.enum(['bounce', 'complaint']),
      bounceType: z.enum(['hard', 'soft']).optional(),
      at: z.iso.datetime({ offset: true }),
    }),
  )
  .min(1)
  .max(1000)
  .refine((events) => events.every((e) => e.type === 'complaint' || e.bounceType), {
    message: 'A bounce needs its bounceType: hard or soft',
  })

/** The signature a provider with the shared secret makes of this body. */
export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

function signedBy(secret: string, body: Buffer, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false
  const expected = Buffer.from(signBody(secret, body))
  const actual = Buffer.from(given.trim().toLowerCase())
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/**
 * A mail provider's webhook of bounces and complaints that came after the SMTP exchange. It carries no
 * cookie, so no CSRF token: the body's signature with the shared secret is the check instead, over the
 * bytes as sent (so the body is kept raw here). Without the secret set, nothing is accepted.
 */
export function mailEventsRoutes(
  app: FastifyInstance,
  reports: MailReportService,
  secret: string | undefined,
) {
  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json')
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: 1024 * 1024 },
      (_request, body, done) => done(null, body),
    )
    const config = {
      access: 'public' as const,
      csrf: false as const,
      rateLimit: 10_000,
      body: mailEventsSchema,
    }
    scope.post(MAIL_EVENTS_PATH, { config }, async (request, reply) => {
      // Unset, no signature can be right: refused as a wrong one is, saying why.
      if (!secret)
        return reply.code(401).send({ error: 'Reports from mail providers are not set up on this Hub' })
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
      if (!signedBy(secret, body, request.headers[SIGNATURE_HEADER]))
        return reply.code(401).send({ error: `The ${SIGNATURE_HEADER} signature does not match the body` })
      let json: unknown
      try {
        json = JSON.parse(body.toString('utf8'))
      } catch {
        return reply.code(400).send({ error: 'The body is not JSON' })
      }
      const parsed = nestedDeeperThan(json, 4) ? null : mailEventsSchema.safeParse(json)
      if (!parsed?.success)
        return reply.code(400).send({
          error: 'The request has errors',
          errors: parsed?.error.issues.map((i) => ({
            field: i.path.join('.') || 'body',
            message: i.message,
          })) ?? [{ field: 'body', message: 'Nest no more than 4 deep' }],
        })
      const result = await reports.apply(parsed.data, 'webhook', {
        userId: null,
        actor: 'mail-provider',
        ip: request.ip,
        requestId: request.id,
      })
      return reply.send(result)
    })
  })
}

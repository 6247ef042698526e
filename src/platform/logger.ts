import type { FastifyInstance, FastifyServerOptions } from 'fastify'

/** Fields that carry secrets or people's details, redacted at the top of a log line and one level down. */
const PERSONAL_FIELDS = ['password', 'email', 'phone', 'name', 'token', 'recipient']

/**
 * pino options: a request id on every line, and nothing personal. Bodies are never logged; the
 * headers and fields that carry secrets or people's details are redacted where they appear.
 */
export function redactedLogger(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'res.headers["set-cookie"]',
        // `log.info({ email })` puts the field at the top, where `*.email` does not reach.
        ...PERSONAL_FIELDS,
        ...PERSONAL_FIELDS.map((f) => `*.${f}`),
        // PostgreSQL puts the clashing value in a constraint error's detail: "Key (email)=(...) already exists".
        'err.detail',
      ],
      censor: '[redacted]',
    },
    serializers: {
      // The path only: one-time links carry their token in the path, so it is cut to its first part.
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: safePath(req.url),
      }),
    },
  }
}

/**
 * Drops query strings, and the secret tail of links sent by email: one-time links (/staff/invite/<token>)
 * and a mailing list's confirmation, unsubscribe and manage links.
 */
export function safePath(url: string): string {
  const pathOnly = url.split('?')[0] ?? ''
  return pathOnly
    .replace(/^\/staff\/(invite|setup)\/.+$/, '/staff/$1/[token]')
    .replace(/^\/(subscribe\/confirm|unsubscribe|subscriptions)\/.+$/, '/$1/[token]')
}

const LOGS_INFO = new Set(['info', 'debug', 'trace'])

/**
 * One line a request, when it has been answered, with its path, status and time: Fastify's own are two
 * (one on arrival, one on the answer), each a serialised line on the event loop. Set with
 * `disableRequestLogging` on the server; nothing is added below the info level.
 */
export function logEachRequest(app: FastifyInstance): void {
  if (!LOGS_INFO.has(app.log.level)) return
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed')
    done()
  })
}

import type { FastifyServerOptions } from 'fastify'

/**
 * pino options: a request id on every line, and nothing personal. Bodies are never logged; the
 * headers and fields that carry secrets or people's details are redacted wherever they appear.
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
        '*.password',
        '*.email',
        '*.phone',
        '*.name',
        '*.token',
        '*.recipient',
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

/** Drops query strings, and the secret tail of one-time links (/staff/invite/<token>). */
export function safePath(url: string): string {
  const pathOnly = url.split('?')[0] ?? ''
  return pathOnly.replace(/^\/staff\/(invite|setup)\/.+$/, '/staff/$1/[token]')
}

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { isDatabaseUnavailable } from './availability.ts'
import { HubError, Invalid, ServiceUnavailable } from './errors.ts'

const wantsJson = (request: FastifyRequest) => request.url.startsWith('/api/')

/**
 * The one place errors become answers. People see a plain page with no detail; the log gets the detail.
 * Known errors (our typed ones, CSRF refusals, oversized bodies) keep their status; anything else is a 500.
 */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = statusOf(error)
  // A 503 is the database's or the shutdown's doing, already logged by the monitor: no stack per request.
  if (status === 503) request.log.warn({ code: error.code, status }, error.message)
  else if (status >= 500) request.log.error({ err: error }, 'request failed')
  else request.log.info({ code: error.code, status }, error.message)
  if (status === 503) {
    reply.header('retry-after', String(RETRY_AFTER_SECONDS))
    if (error instanceof ServiceUnavailable && error.closing) reply.header('connection', 'close')
  }

  if (wantsJson(request)) {
    const body =
      status === 503
        ? { error: 'Service unavailable: try again later' }
        : status >= 500
          ? { error: 'Internal server error' }
          : {
              error: error instanceof HubError ? error.message : publicMessage(status),
              ...(error instanceof Invalid && error.field ? { field: error.field } : {}),
            }
    return reply.code(status).send(body)
  }
  if (!request.t) return reply.code(status).type('text/plain').send(publicMessage(status))
  if (error.code?.startsWith('FST_CSRF')) return reply.render('errors/form-expired.njk', {}, 403)
  switch (status) {
    case 404:
      return reply.render('errors/not-found.njk', {}, 404)
    case 403:
      return reply.render('errors/forbidden.njk', {}, 403)
    case 429:
      return reply.render('errors/too-many.njk', {}, 429)
    case 503:
      return reply.render('errors/unavailable.njk', { question: journeyQuestion(request) }, 503)
    default:
      if (status < 500) return reply.render('errors/bad-request.njk', {}, status)
      return reply.render('errors/server.njk', {}, 500)
  }
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  if (wantsJson(request)) return reply.code(404).send({ error: 'Not found' })
  return reply.render('errors/not-found.njk', {}, 404)
}

/** Seconds a browser or client is asked to wait before trying again after a 503. */
const RETRY_AFTER_SECONDS = 10

/** On a page of the public referral journey, the question to go back to (its answers are in the database). */
function journeyQuestion(request: FastifyRequest): string | null {
  const path = request.url.split('?')[0] ?? ''
  return /^\/refer\/(?!start$|confirmation$)[a-z-]+$/.test(path) ? path : null
}

function statusOf(error: FastifyError): number {
  if (error instanceof HubError) return error.statusCode
  if (isDatabaseUnavailable(error)) return 503
  const s = error.statusCode
  return typeof s === 'number' && s >= 400 && s < 600 ? s : 500
}

function publicMessage(status: number): string {
  if (status === 413) return 'What you sent is too large'
  if (status === 415) return 'What you sent is not in a form we accept'
  if (status === 404) return 'Not found'
  if (status === 503) return 'Service unavailable: try again later'
  if (status >= 500) return 'Internal server error'
  return 'The request could not be understood'
}

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { HubError, Invalid } from './errors.ts'

const wantsJson = (request: FastifyRequest) => request.url.startsWith('/api/')

/**
 * The one place errors become answers. People see a plain page with no detail; the log gets the detail.
 * Known errors (our typed ones, CSRF refusals, oversized bodies) keep their status; anything else is a 500.
 */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = statusOf(error)
  if (status >= 500) request.log.error({ err: error }, 'request failed')
  else request.log.info({ code: error.code, status }, error.message)

  if (wantsJson(request)) {
    const body =
      status >= 500
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
    default:
      if (status < 500) return reply.render('errors/bad-request.njk', {}, status)
      return reply.render('errors/server.njk', {}, 500)
  }
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  if (wantsJson(request)) return reply.code(404).send({ error: 'Not found' })
  return reply.render('errors/not-found.njk', {}, 404)
}

function statusOf(error: FastifyError): number {
  if (error instanceof HubError) return error.statusCode
  const s = error.statusCode
  return typeof s === 'number' && s >= 400 && s < 600 ? s : 500
}

function publicMessage(status: number): string {
  if (status === 413) return 'What you sent is too large'
  if (status === 415) return 'What you sent is not in a form we accept'
  if (status === 404) return 'Not found'
  if (status >= 500) return 'Internal server error'
  return 'The request could not be understood'
}

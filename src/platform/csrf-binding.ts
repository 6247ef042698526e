import { randomBytes } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * What a CSRF token is bound to, so that a cookie and token pair taken from one browser is refused in
 * another: the staff session when signed in; otherwise a random visitor id in a signed cookie of its own.
 */
export type CsrfBinding = ReturnType<typeof csrfBinding>

export function csrfBinding(opts: { secure: boolean }) {
  const name = opts.secure ? '__Host-hub_visitor' : 'hub_visitor'
  const cookie = { path: '/', httpOnly: true, secure: opts.secure, sameSite: 'lax' as const, signed: true }
  // A visitor id made while rendering one response: every token of that page is bound to it.
  const made = new WeakMap<FastifyRequest, string>()

  function visitor(request: FastifyRequest): string | null {
    const raw = request.cookies[name]
    if (!raw) return made.get(request) ?? null
    const unsigned = request.unsignCookie(raw)
    return unsigned.valid ? unsigned.value : (made.get(request) ?? null)
  }

  return {
    /** For checking a token: the binding this request carries ('' binds to nothing anyone was given). */
    of(request: FastifyRequest): string {
      if (request.sessionIdHash) return `session:${request.sessionIdHash}`
      const id = visitor(request)
      return id ? `visitor:${id}` : ''
    },

    /** For making a token: as `of`, giving an anonymous browser its visitor id if it has none. */
    forReply(request: FastifyRequest, reply: FastifyReply): string {
      if (!request.sessionIdHash && !visitor(request)) {
        const id = randomBytes(18).toString('base64url')
        made.set(request, id)
        reply.setCookie(name, id, cookie)
      }
      return this.of(request)
    },
  }
}

import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * The staff session cookie. Over HTTPS it is `__Host-` prefixed (Secure, path /, no domain), so no
 * other site or subdomain can set or read it. Browsers refuse `__Host-` without Secure, so plain-HTTP
 * development uses an unprefixed name.
 */
export function sessionCookie(opts: { secure: boolean; absoluteHours: number }) {
  const name = opts.secure ? '__Host-hub_session' : 'hub_session'
  const base = { path: '/', httpOnly: true, secure: opts.secure, sameSite: 'lax' as const }
  return {
    name,
    read(request: FastifyRequest): string | undefined {
      return request.cookies[name]
    },
    set(reply: FastifyReply, token: string): void {
      reply.setCookie(name, token, { ...base, maxAge: opts.absoluteHours * 3600 })
    },
    clear(reply: FastifyReply): void {
      reply.clearCookie(name, base)
    },
  }
}

export type SessionCookie = ReturnType<typeof sessionCookie>

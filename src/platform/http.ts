import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ZodType } from 'zod'
import type { Permission, StaffUser } from './access.ts'
import type { AuditContext } from './audit.ts'
import type { Locale, Translate } from './i18n.ts'

/**
 * What every route may say about itself, in its `config`. app.ts reads these to apply the policy:
 * who may call it, whether it is a public form (rate limit, honeypot), whether it takes a CSRF token.
 */
export interface RoutePolicy {
  /** `public`: anyone. `signed-in`: any staff account. A permission: accounts whose roles grant it. */
  access: 'public' | 'signed-in' | Permission
  /** JSON APIs authenticated by a bearer key carry no cookie, so no CSRF token either. */
  csrf?: false
  /** Public POSTs are rate limited per address; this sets the limit per 10 minutes. */
  rateLimit?: number
  /**
   * For a public GET page that is the same for everyone not signed in: the version of the data behind it.
   * The page is kept, rendered, until the version changes (page-cache.ts). Given the request, so that a
   * route can read its data once for the key and the page.
   */
  pageVersion?: (request: FastifyRequest) => Promise<string>
  /** The schema of the body an unsafe method takes (a form's, an API's): see forms.ts `postForm`. */
  body?: BodySchema
}

/** A zod schema, or a function of the request answering one (a form whose questions depend on answers). */
export type BodySchema = ZodType | ((request: FastifyRequest) => ZodType | Promise<ZodType>)

export interface NavItem {
  href: string
  text: string
  access: RoutePolicy['access']
}

declare module 'fastify' {
  interface FastifyContextConfig extends Partial<RoutePolicy> {}
  interface FastifyRequest {
    user: StaffUser | null
    sessionIdHash: string | null
    locale: Locale
    t: Translate
    /** Where the page cache keeps this page, when it may (see RoutePolicy.pageVersion). */
    pageKey: string | null
  }
  interface FastifyReply {
    /** This response's CSP nonces, for the page's inline script and style (security-headers.ts). */
    cspNonce: { script: string; style: string }
    /** Renders a page in the layout; `status` 400 for a form with errors. */
    render(view: string, context?: Record<string, unknown>, status?: number): FastifyReply
  }
}

export function auditContext(
  request: FastifyRequest,
  actor = request.user ? 'staff' : 'public',
): AuditContext {
  return { userId: request.user?.id ?? null, actor, ip: request.ip, requestId: request.id }
}

/** The signed-in user, for routes whose policy already made sure there is one. */
export function staffUser(request: FastifyRequest): StaffUser {
  if (!request.user)
    throw new Error(`${request.routeOptions.url} needs a signed-in user; check its access policy`)
  return request.user
}

/** Post/redirect/get: 303 so the browser follows with GET and a refresh never re-submits. */
export function seeOther(reply: FastifyReply, url: string): FastifyReply {
  return reply.redirect(url, 303)
}

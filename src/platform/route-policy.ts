import type { FastifyInstance } from 'fastify'
import type { RoutePolicy } from './http.ts'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** A zod schema, or a function answering one: what `config.body` may be. */
function isBodySchema(body: unknown): boolean {
  return typeof body === 'function' || typeof (body as { safeParse?: unknown })?.safeParse === 'function'
}

export interface RouteRow {
  method: string
  url: string
  access: RoutePolicy['access']
}

/**
 * Every route says who may call it, and only with a permission some manifest declares: a route that
 * forgets, or names a permission nobody declares, cannot be registered; nor can one that takes a body
 * (POST, PUT, PATCH, DELETE) without declaring its schema. Answers the table of routes,
 * filled as they register, for the access walk.
 */
export function enforceRoutePolicies(app: FastifyInstance, permissions: ReadonlySet<string>): RouteRow[] {
  const table: RouteRow[] = []
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/assets/')) return
    const policy = route.config as Partial<RoutePolicy> | undefined
    const access = policy?.access
    if (!access) throw new Error(`Route ${route.method} ${route.url} has no access policy in its config`)
    if (access !== 'public' && access !== 'signed-in' && !permissions.has(access))
      throw new Error(`Route ${route.method} ${route.url} needs ${access}, which no manifest declares`)
    for (const method of [route.method].flat()) {
      if (UNSAFE.has(method) && !isBodySchema(policy?.body))
        throw new Error(
          `Route ${method} ${route.url} has no body schema: declare it with postForm (forms.ts), or as config.body (a JSON API)`,
        )
      if (method !== 'HEAD') table.push({ method, url: route.url, access })
    }
  })
  return table
}

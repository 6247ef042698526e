import type { FastifyInstance } from 'fastify'
import type { RoutePolicy } from './http.ts'

export interface RouteRow {
  method: string
  url: string
  access: RoutePolicy['access']
}

/**
 * Every route says who may call it, and only with a permission some manifest declares: a route that
 * forgets, or names a permission nobody declares, cannot be registered. Answers the table of routes,
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
      if (method !== 'HEAD') table.push({ method, url: route.url, access })
    }
  })
  return table
}

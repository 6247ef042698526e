import type { FastifyInstance } from 'fastify'
import type { DirectoryService } from './directory.service.ts'

/**
 * The public home page: the ways in, in the order people use them (ask online, check a request, find help
 * near you, phone or visit a library), then the libraries.
 */
export function homeRoutes(app: FastifyInstance, directory: DirectoryService, opts: { helpPhone?: string }) {
  // The same for everyone not signed in until the directory changes: kept by the page cache.
  const page = { config: { access: 'public' as const, pageVersion: () => directory.version() } }
  app.get('/', page, async (_request, reply) => {
    const libraries = await directory.listLibraries()
    const byBorough = new Map<string, typeof libraries>()
    for (const l of libraries) byBorough.set(l.borough, [...(byBorough.get(l.borough) ?? []), l])
    return reply.render('directory/views/home.njk', {
      boroughs: [...byBorough.entries()],
      helpPhone: opts.helpPhone,
    })
  })
}

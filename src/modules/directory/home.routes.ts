import type { FastifyInstance } from 'fastify'
import type { DirectoryService } from './directory.service.ts'

/** The public home page: what help there is, how to ask, and the libraries. */
export function homeRoutes(app: FastifyInstance, directory: DirectoryService) {
  app.get('/', { config: { access: 'public' } }, async (_request, reply) => {
    const libraries = await directory.listLibraries()
    const byBorough = new Map<string, typeof libraries>()
    for (const l of libraries) byBorough.set(l.borough, [...(byBorough.get(l.borough) ?? []), l])
    return reply.render('directory/views/home.njk', { boroughs: [...byBorough.entries()] })
  })
}

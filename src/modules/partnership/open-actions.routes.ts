import type { FastifyInstance } from 'fastify'
import { NotFound } from '#platform/errors.ts'
import { staffUser } from '#platform/http.ts'
import { isUuid } from '#platform/ids.ts'
import type { ActionService } from './action.service.ts'
import type { ActionFilter } from './open-actions.repository.ts'
import type { OpenActionsService } from './open-actions.service.ts'

type Query = { Querystring: { owner?: string; organisation?: string; page?: string } }

/** `?owner=user:<id>` or `contact:<id>`, or `?organisation=<id>`: a link from the whole list. */
export function actionFilter(query: Query['Querystring']): ActionFilter | null | undefined {
  if (query.owner !== undefined) {
    const [kind, id] = query.owner.split(':')
    return (kind === 'user' || kind === 'contact') && isUuid(id) ? { kind, id } : undefined
  }
  if (query.organisation !== undefined)
    return isUuid(query.organisation) ? { kind: 'organisation', id: query.organisation } : undefined
  return null
}

/** Open actions across meetings: all of them by owner and organisation, or one owner's or organisation's. */
export function openActionRoutes(app: FastifyInstance, actions: ActionService, list: OpenActionsService) {
  app.get<Query>(
    '/staff/partnership/actions',
    { config: { access: 'partnership.view' } },
    async (request, reply) => {
      const user = staffUser(request)
      const filter = actionFilter(request.query)
      if (filter === undefined) throw new NotFound()
      if (filter === null)
        return reply.render('partnership/views/actions.njk', await actions.openActions(user))
      const page = Math.max(1, Number.parseInt(request.query.page ?? '1', 10) || 1)
      const shown = await list.of(user, filter, page)
      const filterQuery =
        filter.kind === 'organisation' ? `organisation=${filter.id}` : `owner=${filter.kind}:${filter.id}`
      return reply.render('partnership/views/actions-of.njk', { ...shown, filterQuery })
    },
  )
}

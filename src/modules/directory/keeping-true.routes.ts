import type { FastifyInstance } from 'fastify'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import type { KeepingTrueService } from './keeping-true.service.ts'

/** Editors' list of problems the public reported, and a way to send review reminders now. */
export function keepingTrueRoutes(app: FastifyInstance, keeping: KeepingTrueService) {
  const policy = { config: { access: 'directory.edit' as const } }

  app.get('/staff/directory/problems', policy, async (request, reply) => {
    const problems = await keeping.listProblems(staffUser(request))
    const query = request.query as Record<string, string>
    return reply.render('directory/views/staff/problems.njk', {
      problems,
      resolved: query.resolved,
      reminded: query.reminded,
      emails: query.emails,
    })
  })

  app.post<{ Params: { id: string } }>(
    '/staff/directory/problems/:id/resolve',
    policy,
    async (request, reply) => {
      await keeping.resolveProblem(staffUser(request), request.params.id, auditContext(request))
      return seeOther(reply, '/staff/directory/problems?resolved=1')
    },
  )

  app.post('/staff/directory/reminders', policy, async (request, reply) => {
    staffUser(request)
    const { emails, listings } = await keeping.sendReviewReminders(auditContext(request))
    return seeOther(reply, `/staff/directory/problems?reminded=${listings}&emails=${emails}`)
  })
}

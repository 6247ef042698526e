import type { FastifyInstance, FastifyReply } from 'fastify'
import { NO_ANSWERS, postForm } from '#platform/forms.ts'
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

  // Buttons only: nothing asked, so nothing to show again.
  const button = {
    access: 'directory.edit' as const,
    schema: NO_ANSWERS,
    invalid: (_request: unknown, reply: FastifyReply) => seeOther(reply, '/staff/directory/problems'),
  }

  postForm(app, '/staff/directory/problems/:id/resolve', button, async (request, reply) => {
    const { id } = request.params as { id: string }
    await keeping.resolveProblem(staffUser(request), id, auditContext(request))
    return seeOther(reply, '/staff/directory/problems?resolved=1')
  })

  postForm(app, '/staff/directory/reminders', button, async (request, reply) => {
    staffUser(request)
    const { emails, listings } = await keeping.sendReviewReminders(auditContext(request))
    return seeOther(reply, `/staff/directory/problems?reminded=${listings}&emails=${emails}`)
  })
}

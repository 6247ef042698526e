import type { FastifyInstance } from 'fastify'
import { formFailure, messageKey, NO_ANSWERS, postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import { refusal } from '#platform/validation.ts'
import { signInSchema } from './account.schemas.ts'
import type { AccountService } from './account.service.ts'
import type { SessionCookie } from './session-cookie.ts'
import { THROTTLE } from './sign-in.service.ts'

const E = 'accounts.errors.'

/** Sign in, sign out and the staff home page. */
export function signInRoutes(app: FastifyInstance, accounts: AccountService, cookie: SessionCookie) {
  const view = 'accounts/views/sign-in.njk'

  app.get('/staff/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    if (request.user) return seeOther(reply, '/staff')
    return reply.render(view, { values: {} })
  })

  postForm(
    app,
    '/staff/sign-in',
    {
      access: 'public',
      rateLimit: 60,
      schema: signInSchema,
      invalid: (_request, reply, failure) => reply.render(view, failure, 400),
    },
    async (request, reply, data) => {
      const result = await accounts.signIn(data, auditContext(request, 'staff'))
      if (!result.ok) {
        const throttled = result.reason === 'throttled'
        const text = throttled
          ? messageKey(`${E}signInThrottled`, { minutes: THROTTLE.windowMinutes })
          : `${E}signInWrong`
        const failure = formFailure(request.t, refusal(text, 'email'), request.body)
        return reply.render(view, failure, throttled ? 429 : 400)
      }
      cookie.set(reply, result.token)
      return seeOther(reply, '/staff')
    },
  )

  postForm(
    app,
    '/staff/sign-out',
    {
      access: 'signed-in',
      schema: NO_ANSWERS,
      invalid: (_request, reply) => seeOther(reply, '/staff'),
    },
    async (request, reply) => {
      if (request.sessionIdHash)
        await accounts.signOut(staffUser(request), request.sessionIdHash, auditContext(request))
      cookie.clear(reply)
      return seeOther(reply, '/staff/signed-out')
    },
  )

  app.get('/staff/signed-out', { config: { access: 'public' } }, async (_request, reply) => {
    return reply.render('accounts/views/signed-out.njk')
  })
}

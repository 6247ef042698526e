import type { FastifyInstance } from 'fastify'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import { parseForm, refusal } from '#platform/validation.ts'
import { signInSchema } from './account.schemas.ts'
import type { AccountService } from './account.service.ts'
import type { SessionCookie } from './session-cookie.ts'
import { THROTTLE } from './sign-in.service.ts'

/** Sign in, sign out and the staff home page. */
export function signInRoutes(app: FastifyInstance, accounts: AccountService, cookie: SessionCookie) {
  app.get('/staff/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    if (request.user) return seeOther(reply, '/staff')
    return reply.render('accounts/views/sign-in.njk', { values: {} })
  })

  app.post('/staff/sign-in', { config: { access: 'public', rateLimit: 60 } }, async (request, reply) => {
    const form = parseForm(signInSchema, request.body)
    const values = { email: (request.body as Record<string, unknown>)?.email }
    if (!form.ok) return reply.render('accounts/views/sign-in.njk', { ...form, values }, 400)
    const result = await accounts.signIn(form.data, auditContext(request, 'staff'))
    if (!result.ok) {
      const message =
        result.reason === 'throttled'
          ? `Too many tries to sign in. Wait ${THROTTLE.windowMinutes} minutes, then try again.`
          : 'The email address or password is not right'
      const status = result.reason === 'throttled' ? 429 : 400
      return reply.render('accounts/views/sign-in.njk', { ...refusal(message, 'email'), values }, status)
    }
    cookie.set(reply, result.token)
    return seeOther(reply, '/staff')
  })

  app.post('/staff/sign-out', { config: { access: 'signed-in' } }, async (request, reply) => {
    if (request.sessionIdHash)
      await accounts.signOut(staffUser(request), request.sessionIdHash, auditContext(request))
    cookie.clear(reply)
    return seeOther(reply, '/staff/signed-out')
  })

  app.get('/staff/signed-out', { config: { access: 'public' } }, async (_request, reply) => {
    return reply.render('accounts/views/signed-out.njk')
  })
}

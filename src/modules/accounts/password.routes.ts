import type { FastifyInstance } from 'fastify'
import { Invalid, NotFound } from '#platform/errors.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import { parseForm, refusal } from '#platform/validation.ts'
import { changePasswordSchema, setPasswordSchema, setupSchema } from './account.schemas.ts'
import type { AccountService } from './account.service.ts'
import { PASSWORD_MIN } from './password.ts'

/** Choosing a password: by a one-time link (first administrator, invited user) or when signed in. */
export function passwordRoutes(app: FastifyInstance, accounts: AccountService) {
  const rules = { minLength: PASSWORD_MIN }

  for (const purpose of ['setup', 'invite'] as const) {
    const view = `accounts/views/${purpose}.njk`
    const schema = purpose === 'setup' ? setupSchema : setPasswordSchema

    app.get<{ Params: { token: string } }>(
      `/staff/${purpose}/:token`,
      { config: { access: 'public' } },
      async (request, reply) => {
        const opened = await accounts.openLink(request.params.token, purpose)
        if (!opened) return reply.render('accounts/views/link-expired.njk', {}, 404)
        return reply.render(view, { values: {}, invited: opened.user, rules })
      },
    )

    app.post<{ Params: { token: string } }>(
      `/staff/${purpose}/:token`,
      { config: { access: 'public' } },
      async (request, reply) => {
        const opened = await accounts.openLink(request.params.token, purpose)
        if (!opened) return reply.render('accounts/views/link-expired.njk', {}, 404)
        const body = request.body as Record<string, string>
        const values = { name: body?.name, email: body?.email }
        const form = parseForm(schema, body)
        if (!form.ok) return reply.render(view, { ...form, values, invited: opened.user, rules }, 400)
        try {
          await accounts.completeLink(request.params.token, purpose, form.data, auditContext(request))
        } catch (error) {
          if (error instanceof NotFound) return reply.render('accounts/views/link-expired.njk', {}, 404)
          if (!(error instanceof Invalid)) throw error
          return reply.render(
            view,
            { ...refusal(error.message, error.field), values, invited: opened.user, rules },
            400,
          )
        }
        return seeOther(reply, '/staff/sign-in?ready=1')
      },
    )
  }

  app.get('/staff/account/password', { config: { access: 'signed-in' } }, async (_request, reply) => {
    return reply.render('accounts/views/change-password.njk', { rules })
  })

  app.post('/staff/account/password', { config: { access: 'signed-in' } }, async (request, reply) => {
    const form = parseForm(changePasswordSchema, request.body)
    if (!form.ok) return reply.render('accounts/views/change-password.njk', { ...form, rules }, 400)
    try {
      await accounts.changePassword(
        staffUser(request),
        request.sessionIdHash ?? '',
        { current: form.data.current, next: form.data.next },
        auditContext(request),
      )
    } catch (error) {
      if (!(error instanceof Invalid)) throw error
      return reply.render(
        'accounts/views/change-password.njk',
        { ...refusal(error.message, error.field), rules },
        400,
      )
    }
    return seeOther(reply, '/staff?changed=password')
  })
}

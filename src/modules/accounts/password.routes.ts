import type { FastifyInstance } from 'fastify'
import { NotFound } from '#platform/errors.ts'
import { postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
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

    postForm<typeof schema, { Params: { token: string } }>(
      app,
      `/staff/${purpose}/:token`,
      {
        access: 'public',
        schema,
        async invalid(request, reply, failure) {
          const opened = await accounts.openLink(request.params.token, purpose)
          if (!opened) return reply.render('accounts/views/link-expired.njk', {}, 404)
          return reply.render(view, { ...failure, invited: opened.user, rules }, 400)
        },
      },
      async (request, reply, data) => {
        const opened = await accounts.openLink(request.params.token, purpose)
        if (!opened) return reply.render('accounts/views/link-expired.njk', {}, 404)
        try {
          await accounts.completeLink(request.params.token, purpose, data, auditContext(request))
        } catch (error) {
          if (error instanceof NotFound) return reply.render('accounts/views/link-expired.njk', {}, 404)
          throw error
        }
        return seeOther(reply, '/staff/sign-in?ready=1')
      },
    )
  }

  app.get('/staff/account/password', { config: { access: 'signed-in' } }, async (_request, reply) => {
    return reply.render('accounts/views/change-password.njk', { rules })
  })

  postForm(
    app,
    '/staff/account/password',
    {
      access: 'signed-in',
      schema: changePasswordSchema,
      invalid: (_request, reply, failure) =>
        reply.render('accounts/views/change-password.njk', { ...failure, rules }, 400),
    },
    async (request, reply, data) => {
      await accounts.changePassword(
        staffUser(request),
        request.sessionIdHash ?? '',
        { current: data.current, next: data.next },
        auditContext(request),
      )
      return seeOther(reply, '/staff?changed=password')
    },
  )
}

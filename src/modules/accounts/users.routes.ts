import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type FormFailure, NO_ANSWERS, postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import type { UserWithAccess } from './account.repository.ts'
import { accessSchema, inviteSchema } from './account.schemas.ts'
import type { AccountService } from './account.service.ts'

type IdParams = { Params: { id: string } }
/** The checkbox groups of the access fields. */
const LISTS = ['roles', 'boroughs']

/** Administrators' pages: list, invite, change roles and scope, disable and re-enable accounts. */
export function usersRoutes(app: FastifyInstance, accounts: AccountService) {
  const policy = { config: { access: 'users.manage' as const } }

  async function choices() {
    const [roles, boroughs, organisations] = await Promise.all([
      accounts.listRoles(),
      accounts.listBoroughs(),
      accounts.partnerOrganisations(),
    ])
    return { roles, boroughs, organisations }
  }

  /** The account page: the person, their access as saved (or as just typed), and the choices. */
  async function userPage(target: UserWithAccess, extra: Record<string, unknown>) {
    const c = await choices()
    const organisationName = c.organisations.find((o) => o.id === target.organisation_id)?.name
    return { target, organisationName, values: savedValues(target), ...c, ...extra }
  }

  app.get('/staff/users', policy, async (request, reply) => {
    const users = await accounts.listUsers(staffUser(request))
    return reply.render('accounts/views/users.njk', { users })
  })

  app.get('/staff/users/new', policy, async (_request, reply) => {
    return reply.render('accounts/views/user-new.njk', {
      values: { roles: [], boroughs: [], organisation: '' },
      ...(await choices()),
    })
  })

  postForm(
    app,
    '/staff/users/new',
    {
      access: 'users.manage',
      schema: inviteSchema,
      lists: LISTS,
      invalid: async (_request, reply, failure) =>
        reply.render('accounts/views/user-new.njk', { ...failure, ...(await choices()) }, 400),
    },
    async (request, reply, data) => {
      const id = await accounts.inviteUser(staffUser(request), data, auditContext(request))
      return seeOther(reply, `/staff/users/${id}?invited=1`)
    },
  )

  app.get<IdParams>('/staff/users/:id', policy, async (request, reply) => {
    const target = await accounts.viewUser(staffUser(request), request.params.id, auditContext(request))
    const query = request.query as Record<string, string>
    return reply.render(
      'accounts/views/user.njk',
      await userPage(target, { invited: query.invited, saved: query.saved }),
    )
  })

  /** The account page again, with the problem and what was sent. */
  async function userAgain(
    request: FastifyRequest<IdParams>,
    reply: FastifyReply,
    failure: Partial<FormFailure>,
  ) {
    const target = await accounts.getUser(staffUser(request), request.params.id)
    return reply.render('accounts/views/user.njk', await userPage(target, failure), 400)
  }

  postForm<typeof accessSchema, IdParams>(
    app,
    '/staff/users/:id/access',
    { access: 'users.manage', schema: accessSchema, lists: LISTS, invalid: userAgain },
    async (request, reply, data) => {
      const actor = staffUser(request)
      const target = await accounts.getUser(actor, request.params.id)
      await accounts.updateAccess(actor, target.id, data, auditContext(request))
      return seeOther(reply, `/staff/users/${target.id}?saved=access`)
    },
  )

  for (const action of ['disable', 'enable'] as const) {
    postForm<typeof NO_ANSWERS, IdParams>(
      app,
      `/staff/users/:id/${action}`,
      {
        access: 'users.manage',
        schema: NO_ANSWERS,
        refusedField: 'status',
        // The button sends no answers: the access fields keep the access as saved.
        invalid: (request, reply, { errors, fieldErrors }) =>
          userAgain(request, reply, { errors, fieldErrors }),
      },
      async (request, reply) => {
        const actor = staffUser(request)
        const target = await accounts.getUser(actor, request.params.id)
        await accounts.setDisabled(actor, target.id, action === 'disable', auditContext(request))
        return seeOther(reply, `/staff/users/${target.id}?saved=${action}d`)
      },
    )
  }
}

/** An account's access as saved, for the form on its page. */
function savedValues(target: UserWithAccess) {
  return {
    roles: target.roles,
    boroughs: target.is_all_boroughs ? ['all'] : target.boroughIds,
    organisation: target.organisation_id ?? '',
  }
}

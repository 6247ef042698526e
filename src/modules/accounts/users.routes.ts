import type { FastifyInstance } from 'fastify'
import { Invalid } from '#platform/errors.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import { parseForm, refusal } from '#platform/validation.ts'
import type { UserWithAccess } from './account.repository.ts'
import { accessSchema, inviteSchema } from './account.schemas.ts'
import type { AccountService } from './account.service.ts'

type IdParams = { Params: { id: string } }

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

  app.post('/staff/users/new', policy, async (request, reply) => {
    const values = formValues(request.body)
    const form = parseForm(inviteSchema, request.body)
    if (!form.ok)
      return reply.render('accounts/views/user-new.njk', { ...form, values, ...(await choices()) }, 400)
    try {
      const id = await accounts.inviteUser(staffUser(request), form.data, auditContext(request))
      return seeOther(reply, `/staff/users/${id}?invited=1`)
    } catch (error) {
      if (!(error instanceof Invalid)) throw error
      return reply.render(
        'accounts/views/user-new.njk',
        { ...refusal(error.message, error.field), values, ...(await choices()) },
        400,
      )
    }
  })

  app.get<IdParams>('/staff/users/:id', policy, async (request, reply) => {
    const target = await accounts.viewUser(staffUser(request), request.params.id, auditContext(request))
    const query = request.query as Record<string, string>
    return reply.render(
      'accounts/views/user.njk',
      await userPage(target, { invited: query.invited, saved: query.saved }),
    )
  })

  app.post<IdParams>('/staff/users/:id/access', policy, async (request, reply) => {
    const actor = staffUser(request)
    const target = await accounts.getUser(actor, request.params.id)
    const values = formValues(request.body)
    const form = parseForm(accessSchema, request.body)
    if (!form.ok)
      return reply.render('accounts/views/user.njk', await userPage(target, { ...form, values }), 400)
    try {
      await accounts.updateAccess(actor, target.id, form.data, auditContext(request))
    } catch (error) {
      if (!(error instanceof Invalid)) throw error
      return reply.render(
        'accounts/views/user.njk',
        await userPage(target, { ...refusal(error.message, error.field), values }),
        400,
      )
    }
    return seeOther(reply, `/staff/users/${target.id}?saved=access`)
  })

  for (const action of ['disable', 'enable'] as const) {
    app.post<IdParams>(`/staff/users/:id/${action}`, policy, async (request, reply) => {
      const actor = staffUser(request)
      const target = await accounts.getUser(actor, request.params.id)
      try {
        await accounts.setDisabled(actor, target.id, action === 'disable', auditContext(request))
      } catch (error) {
        if (!(error instanceof Invalid)) throw error
        return reply.render(
          'accounts/views/user.njk',
          await userPage(target, refusal(error.message, 'status')),
          400,
        )
      }
      return seeOther(reply, `/staff/users/${target.id}?saved=${action}d`)
    })
  }
}

/** What the person typed or ticked, to show again with the errors. */
function formValues(body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>
  const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v])
  return {
    name: b.name,
    email: b.email,
    roles: list(b.roles),
    boroughs: list(b.boroughs),
    organisation: typeof b.organisation === 'string' ? b.organisation : '',
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

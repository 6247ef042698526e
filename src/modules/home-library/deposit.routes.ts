import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { can } from '#platform/access.ts'
import { type FormFailure, postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import { choices } from './choices.ts'
import type { DepositService } from './deposit.service.ts'
import { DEPOSIT_KINDS, depositSchema, refreshSchema } from './home-library.schemas.ts'
import type { MemberService } from './member.service.ts'

type Params = { Params: { id: string } }
const NO_FAILURE = { errors: [], fieldErrors: {}, values: {} }

/** Deposit collections: the list with those due for a refresh first, adding one, recording new stock. */
export function depositRoutes(app: FastifyInstance, s: { deposits: DepositService; members: MemberService }) {
  const manage = { access: 'home-library.manage' as const }

  async function listPage(request: FastifyRequest, reply: FastifyReply, failure: FormFailure = NO_FAILURE) {
    const user = staffUser(request)
    const [deposits, boroughs] = await Promise.all([s.deposits.list(user), s.members.boroughs(user)])
    return reply.render(
      'home-library/views/deposits.njk',
      {
        ...failure,
        deposits,
        boroughs: boroughs.map((b) => ({ value: b.id, text: b.short_name })),
        kinds: choices(request.t, 'homeLibrary.deposits.kinds', DEPOSIT_KINDS),
        canManage: can(user, 'home-library.manage'),
      },
      reply.statusCode,
    )
  }
  app.get('/staff/home-library/deposits', { config: { access: 'home-library.view' } }, (request, reply) =>
    listPage(request, reply),
  )
  postForm(
    app,
    '/staff/home-library/deposits',
    { ...manage, schema: depositSchema, invalid: listPage },
    async (request, reply, data) => {
      await s.deposits.add(staffUser(request), data, auditContext(request))
      return seeOther(reply, '/staff/home-library/deposits')
    },
  )
  postForm<typeof refreshSchema, Params>(
    app,
    '/staff/home-library/deposits/:id/refresh',
    {
      ...manage,
      schema: refreshSchema,
      // Another borough's collection is not found, whatever was typed.
      invalid: async (request, reply, failure) => {
        await s.deposits.get(staffUser(request), request.params.id)
        return listPage(request, reply, failure)
      },
    },
    async (request, reply, data) => {
      await s.deposits.refresh(staffUser(request), request.params.id, data.itemsPlaced, auditContext(request))
      return seeOther(reply, `/staff/home-library/deposits#deposit-${request.params.id}`)
    },
  )
}

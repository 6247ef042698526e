import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { can } from '#platform/access.ts'
import { linkToDay } from '#platform/date-input.ts'
import { type FormFailure, postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import type { Translate } from '#platform/i18n.ts'
import { DATA_ITEMS, nextStatuses, PARTNER_TYPES, PURPOSES } from './agreement.ts'
import type { PartnerService } from './partner.service.ts'
import {
  agreementSchema,
  agreementStatusSchema,
  contactSchema,
  DATE_FIELDS,
  profileSchema,
} from './partnership.schemas.ts'

type Params = { Params: { id: string } }
const NO_FAILURE: FormFailure = { errors: [], fieldErrors: {}, values: {} }
const P = '/staff/partnership'

/** A form sent back: an error on a date links to its day field. */
export function withDayLinks(failure: FormFailure): FormFailure {
  return { ...failure, errors: linkToDay(failure.errors, DATE_FIELDS) }
}

/** Items for radios, checkboxes and selects, each in the page's words (`prefix.code`). */
export function choices(t: Translate, prefix: string, codes: readonly string[]) {
  return codes.map((code) => ({ value: code, text: t(`${prefix}.${code}`) }))
}

/** Partners and the data-sharing agreements register. */
export function partnerRoutes(app: FastifyInstance, partners: PartnerService) {
  const view = { config: { access: 'partnership.view' as const } }
  const manage = { access: 'partnership.manage' as const }

  app.get(P, view, async (request, reply) => {
    const user = staffUser(request)
    const [list, agreements] = await Promise.all([partners.listPartners(user), partners.listAgreements(user)])
    return reply.render('partnership/views/index.njk', { partners: list, agreements })
  })

  async function partnerPage(request: FastifyRequest<Params>, reply: FastifyReply, failure = NO_FAILURE) {
    const user = staffUser(request)
    const partner = await partners.getPartner(user, request.params.id)
    const boroughs = await partners.boroughs()
    const profile = partner.profile
    const values = Object.keys(failure.values).length
      ? failure.values
      : {
          partnerType: profile?.partner_type,
          boroughs: profile?.boroughs_json ?? [],
          charityNumber: profile?.charity_number,
          companyNumber: profile?.company_number,
          offers: profile?.offers,
          needs: profile?.needs,
        }
    return reply.render(
      'partnership/views/partner.njk',
      {
        ...failure,
        values,
        ...partner,
        canManage: can(user, 'partnership.manage'),
        partnerTypes: choices(request.t, 'partnership.partnerTypes', PARTNER_TYPES),
        boroughChoices: boroughs.map((b) => ({ value: b.code, text: b.name })),
      },
      reply.statusCode,
    )
  }
  app.get<Params>(`${P}/partners/:id`, view, (request, reply) => partnerPage(request, reply))
  postForm<typeof profileSchema, Params>(
    app,
    `${P}/partners/:id/profile`,
    { ...manage, schema: profileSchema, lists: ['boroughs'], invalid: partnerPage },
    async (request, reply, data) => {
      await partners.saveProfile(staffUser(request), request.params.id, data, auditContext(request))
      return seeOther(reply, `${P}/partners/${request.params.id}`)
    },
  )
  postForm<typeof contactSchema, Params>(
    app,
    `${P}/partners/:id/contacts`,
    { ...manage, schema: contactSchema, invalid: partnerPage },
    async (request, reply, data) => {
      await partners.addContact(staffUser(request), request.params.id, data, auditContext(request))
      return seeOther(reply, `${P}/partners/${request.params.id}#contacts`)
    },
  )

  async function newAgreementPage(
    request: FastifyRequest<Params>,
    reply: FastifyReply,
    failure = NO_FAILURE,
  ) {
    const partner = await partners.getPartner(staffUser(request), request.params.id)
    return reply.render(
      'partnership/views/agreement-new.njk',
      {
        ...withDayLinks(failure),
        organisation: partner.organisation,
        purposes: choices(request.t, 'partnership.purposes', PURPOSES),
        dataItems: choices(request.t, 'partnership.dataItems', DATA_ITEMS),
        statuses: choices(request.t, 'partnership.statuses', ['draft', 'in-force']),
      },
      reply.statusCode,
    )
  }
  app.get<Params>(`${P}/partners/:id/agreements/new`, { config: manage }, (request, reply) =>
    newAgreementPage(request, reply),
  )
  postForm<typeof agreementSchema, Params>(
    app,
    `${P}/partners/:id/agreements`,
    { ...manage, schema: agreementSchema, lists: ['purposes', 'dataItems'], invalid: newAgreementPage },
    async (request, reply, data) => {
      const id = await partners.createAgreement(
        staffUser(request),
        { ...data, organisationId: request.params.id },
        auditContext(request),
      )
      return seeOther(reply, `${P}/agreements/${id}`)
    },
  )

  async function agreementPage(request: FastifyRequest<Params>, reply: FastifyReply, failure = NO_FAILURE) {
    const user = staffUser(request)
    const shown = await partners.getAgreement(user, request.params.id)
    return reply.render(
      'partnership/views/agreement.njk',
      {
        ...withDayLinks(failure),
        ...shown,
        canManage: can(user, 'partnership.manage'),
        moves: choices(request.t, 'partnership.statuses', nextStatuses(shown.agreement.status)),
      },
      reply.statusCode,
    )
  }
  app.get<Params>(`${P}/agreements/:id`, view, (request, reply) => agreementPage(request, reply))
  postForm<typeof agreementStatusSchema, Params>(
    app,
    `${P}/agreements/:id/status`,
    { ...manage, schema: agreementStatusSchema, invalid: agreementPage },
    async (request, reply, data) => {
      await partners.changeAgreementStatus(
        staffUser(request),
        { id: request.params.id, ...data },
        auditContext(request),
      )
      return seeOther(reply, `${P}/agreements/${request.params.id}`)
    },
  )
}

import { requirePermission, type StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import type { Executor } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import type { DirectoryService } from '../directory/index.ts'
import type { Disclosure, DisclosureVerdict } from '../referrals/index.ts'
import {
  type AgreementStatus,
  canMove,
  covers,
  inForce,
  lapsingWithin,
  pastReview,
  today,
} from './agreement.ts'
import { type AgreementTable, partnerRepository as repo } from './partner.repository.ts'

export interface ProfileInput {
  partnerType: string
  boroughs: string[]
  charityNumber: string | null
  companyNumber: string | null
  offers: string
  needs: string
}

export interface ContactInput {
  name: string
  role: string
  email: string | null
  phone: string | null
}

export interface AgreementInput {
  organisationId: string
  title: string
  purpose: string
  purposes: string[]
  parties: string
  dataItems: string[]
  lawfulBasis: string
  specialCategory: string | null
  specialCondition: string | null
  rights: string
  retention: string
  security: string
  startsOn: string
  reviewOn: string
  signedOffBy: string | null
  status: 'draft' | 'in-force'
}

const SYSTEM: AuditContext = { userId: null, actor: 'system', ip: null, requestId: null }

function terms(a: AgreementTable) {
  return {
    status: a.status,
    purposes: a.purposes_json,
    dataItems: a.data_items_json,
    startsOn: a.starts_on,
    reviewOn: a.review_on,
  }
}

/**
 * Partners (the directory's organisations, with what the partnership knows of them), the register of
 * data-sharing agreements, and the check of every disclosure of a resident's data against it.
 */
export function partnerService(
  platform: Platform,
  deps: { directory: DirectoryService; leadEmail: string; lapseWarningDays: number },
) {
  const { database, audit, outbox } = platform
  const { db } = database
  const { directory } = deps

  async function organisation(id: string, tx: Executor = db) {
    if (!isUuid(id)) throw new NotFound()
    const found = await directory.findOrganisation(id, tx)
    if (!found) throw new NotFound()
    return found
  }

  return {
    /** The boroughs a partner may serve. */
    boroughs: () => listBoroughs(db),

    /** Every partner organisation with its profile and how its agreements stand. */
    async listPartners(user: StaffUser) {
      requirePermission(user, 'partnership.view')
      const [organisations, profiles, agreements] = await Promise.all([
        directory.listOrganisations(),
        repo.listProfiles(db),
        repo.listAgreements(db),
      ])
      const profileOf = new Map(profiles.map((p) => [p.organisation_id, p]))
      const day = today()
      return organisations
        .filter((o) => o.kind === 'partner' || profileOf.has(o.id))
        .map((o) => ({
          id: o.id,
          name: o.name,
          profile: profileOf.get(o.id) ?? null,
          hasAgreementInForce: agreements.some((a) => a.organisation_id === o.id && inForce(terms(a), day)),
        }))
    },

    async getPartner(user: StaffUser, organisationId: string) {
      requirePermission(user, 'partnership.view')
      const found = await organisation(organisationId)
      const [profile, contacts, agreements] = await Promise.all([
        repo.findProfile(db, found.id),
        repo.contactsOf(db, [found.id]),
        repo.agreementsWith(db, found.id),
      ])
      return { organisation: found, profile: profile ?? null, contacts, agreements }
    },

    async saveProfile(user: StaffUser, organisationId: string, input: ProfileInput, ctx: AuditContext) {
      requirePermission(user, 'partnership.manage')
      await db.transaction().execute(async (tx) => {
        const found = await organisation(organisationId, tx)
        await repo.upsertProfile(tx, {
          id: newId(),
          organisation_id: found.id,
          partner_type: input.partnerType,
          boroughs_json: input.boroughs,
          charity_number: input.charityNumber,
          company_number: input.companyNumber,
          offers: input.offers,
          needs: input.needs,
          updated_at: nowIso(),
        })
        await audit.record(tx, ctx, {
          action: 'partnership.profile-saved',
          recordType: 'organisation',
          recordId: found.id,
          fields: ['partner_type', 'boroughs', 'charity_number', 'company_number', 'offers', 'needs'],
        })
      })
    },

    async addContact(user: StaffUser, organisationId: string, input: ContactInput, ctx: AuditContext) {
      requirePermission(user, 'partnership.manage')
      const id = newId()
      await db.transaction().execute(async (tx) => {
        const found = await organisation(organisationId, tx)
        await repo.insertContact(tx, { id, organisation_id: found.id, ...input, created_at: nowIso() })
        await audit.record(tx, ctx, {
          action: 'partnership.contact-added',
          recordType: 'partner-contact',
          recordId: id,
          fields: ['name', 'role', ...(input.email ? ['email'] : []), ...(input.phone ? ['phone'] : [])],
        })
      })
      return id
    },

    /** Every partner's contacts, for choosing attendees and owners. */
    async contacts(user: StaffUser) {
      requirePermission(user, 'partnership.view')
      const [contacts, organisations] = await Promise.all([
        repo.allContacts(db),
        directory.listOrganisations(),
      ])
      const name = new Map(organisations.map((o) => [o.id, o.name]))
      return contacts.map((c) => ({ ...c, organisationName: name.get(c.organisation_id) ?? '' }))
    },

    findContact: (id: string, tx: Executor = db) => (isUuid(id) ? repo.findContact(tx, id) : undefined),

    /** Contacts by id, in one query (a meeting's attendees). */
    contactsById: (ids: readonly string[]) => repo.contactsById(db, ids.filter(isUuid)),

    organisationName: async (id: string, tx: Executor = db) =>
      (await directory.findOrganisation(id, tx))?.name ?? null,

    /** The register: every agreement, soonest review first, with its partner's name. */
    async listAgreements(user: StaffUser) {
      requirePermission(user, 'partnership.view')
      const [agreements, organisations] = await Promise.all([
        repo.listAgreements(db),
        directory.listOrganisations(),
      ])
      const name = new Map(organisations.map((o) => [o.id, o.name]))
      const day = today()
      return agreements.map((a) => ({
        ...a,
        organisationName: name.get(a.organisation_id) ?? '',
        lapsing: lapsingWithin(terms(a), day, deps.lapseWarningDays),
      }))
    },

    async getAgreement(user: StaffUser, id: string) {
      requirePermission(user, 'partnership.view')
      const agreement = isUuid(id) ? await repo.findAgreement(db, id) : undefined
      if (!agreement) throw new NotFound()
      const [partner, disclosures, disclosureCount] = await Promise.all([
        directory.findOrganisation(agreement.organisation_id),
        repo.disclosuresUnder(db, agreement.id),
        repo.countDisclosures(db, agreement.id),
      ])
      return { agreement, organisationName: partner?.name ?? '', disclosures, disclosureCount }
    },

    /** Records an agreement; its review date cannot come before its start. */
    async createAgreement(user: StaffUser, input: AgreementInput, ctx: AuditContext): Promise<string> {
      requirePermission(user, 'partnership.manage')
      if (input.reviewOn < input.startsOn)
        throw new Invalid('partnership.errors.reviewBeforeStart', 'reviewOn')
      if (input.status === 'in-force' && !input.signedOffBy)
        throw new Invalid('partnership.errors.signedOffMissing', 'signedOffBy')
      const id = newId()
      await db.transaction().execute(async (tx) => {
        const found = await organisation(input.organisationId, tx)
        const now = nowIso()
        await repo.insertAgreement(tx, {
          id,
          organisation_id: found.id,
          title: input.title,
          purpose: input.purpose,
          purposes_json: input.purposes,
          parties: input.parties,
          data_items_json: input.dataItems,
          lawful_basis: input.lawfulBasis,
          special_category: input.specialCategory,
          special_condition: input.specialCondition,
          rights: input.rights,
          retention: input.retention,
          security: input.security,
          starts_on: input.startsOn,
          review_on: input.reviewOn,
          signed_off_by: input.signedOffBy,
          status: input.status,
          lapse_warned_for: null,
          created_at: now,
          updated_at: now,
        })
        await audit.record(tx, ctx, {
          action: 'partnership.agreement-recorded',
          recordType: 'sharing-agreement',
          recordId: id,
          fields: ['status'],
        })
      })
      return id
    },

    /** Draft to in force, in force to lapsed or ended, a lapsed one renewed with a new review date. */
    async changeAgreementStatus(
      user: StaffUser,
      input: { id: string; to: AgreementStatus; reviewOn?: string; signedOffBy?: string },
      ctx: AuditContext,
    ) {
      requirePermission(user, 'partnership.manage')
      await db.transaction().execute(async (tx) => {
        const agreement = isUuid(input.id) ? await repo.findAgreement(tx, input.id) : undefined
        if (!agreement) throw new NotFound()
        if (!canMove(agreement.status, input.to))
          throw new Invalid('partnership.errors.statusNotAllowed', 'to')
        const reviewOn = input.reviewOn ?? agreement.review_on
        if (reviewOn < agreement.starts_on)
          throw new Invalid('partnership.errors.reviewBeforeStart', 'reviewOn')
        const signedOffBy = input.signedOffBy || agreement.signed_off_by
        if (input.to === 'in-force' && !signedOffBy)
          throw new Invalid('partnership.errors.signedOffMissing', 'signedOffBy')
        if (input.to === 'in-force' && reviewOn < today())
          throw new Invalid('partnership.errors.reviewPast', 'reviewOn')
        await repo.updateAgreement(tx, agreement.id, {
          status: input.to,
          review_on: reviewOn,
          signed_off_by: signedOffBy,
          updated_at: nowIso(),
        })
        await audit.record(tx, ctx, {
          action: 'partnership.agreement-status-changed',
          recordType: 'sharing-agreement',
          recordId: agreement.id,
          fields: [
            'status',
            ...(input.reviewOn ? ['review_on'] : []),
            ...(input.signedOffBy ? ['signed_off_by'] : []),
          ],
        })
      })
    },

    /**
     * The referrals module's disclosure check, run inside its transaction: allowed only under an agreement
     * in force with this partner covering the purpose and every data item, and then recorded against it.
     */
    async checkDisclosure(tx: Executor, disclosure: Disclosure): Promise<DisclosureVerdict> {
      const partner = await directory.findOrganisation(disclosure.organisation, tx)
      if (!partner) return { allowed: false, organisationName: null }
      const day = today()
      const agreement = (await repo.agreementsWith(tx, partner.id)).find((a) =>
        covers(terms(a), disclosure, day),
      )
      if (!agreement) return { allowed: false, organisationName: partner.name }
      await repo.insertDisclosure(tx, {
        id: newId(),
        agreement_id: agreement.id,
        organisation_id: partner.id,
        purpose: disclosure.purpose,
        data_items_json: [...disclosure.dataItems],
        referral_id: disclosure.referralId,
        borough_id: disclosure.boroughId,
        user_id: disclosure.userId,
        at: nowIso(),
      })
      return { allowed: true }
    },

    /**
     * The daily look at the register: an agreement past its review date lapses; one whose review date is
     * near warns the partnership lead once for that date, through the outbox.
     */
    async reviewAgreements(now = new Date()): Promise<{ warned: number; lapsed: number }> {
      const day = today(now)
      let warned = 0
      let lapsed = 0
      for (const agreement of await repo.inForce(db)) {
        await db.transaction().execute(async (tx) => {
          if (pastReview(terms(agreement), day)) {
            await repo.updateAgreement(tx, agreement.id, { status: 'lapsed', updated_at: nowIso() })
            await audit.record(tx, SYSTEM, {
              action: 'partnership.agreement-lapsed',
              recordType: 'sharing-agreement',
              recordId: agreement.id,
              fields: ['status'],
            })
            lapsed++
            return
          }
          if (!lapsingWithin(terms(agreement), day, deps.lapseWarningDays)) return
          if (!(await repo.claimLapseWarning(tx, agreement.id, agreement.review_on))) return
          const partner = await directory.findOrganisation(agreement.organisation_id, tx)
          await outbox.enqueue(tx, {
            channel: 'email',
            template: 'partnership-agreement-lapsing',
            recipient: deps.leadEmail,
            personalisation: {
              title: agreement.title,
              partner: partner?.name ?? '',
              reviewOn: agreement.review_on,
              url: `${platform.config.publicUrl}/staff/partnership/agreements/${agreement.id}`,
            },
          })
          warned++
        })
      }
      return { warned, lapsed }
    },
  }
}

export type PartnerService = ReturnType<typeof partnerService>

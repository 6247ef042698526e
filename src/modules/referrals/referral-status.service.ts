import { requirePermission, type StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import type { Platform } from '#platform/platform.ts'
import type { DisclosureGate } from './disclosure.ts'
import { referralRepository as repo } from './referral.repository.ts'
import { FHIR_TASK_STATUS, formatReference, parseReference } from './referral.ts'
import { firstContactBy, normalisePostcode, type ReferralRules } from './rules.ts'
import { trackingWordsHash } from './tracking-words.ts'

/** Referrals per page of a partner's list. */
export const PARTNER_PAGE_SIZE = 25

/**
 * Where a referral has got to, for the people outside the service: partners (their web page and the API)
 * and residents (/track). Status and outcome only: never names, notes or reasons.
 */
export function referralStatusService(
  platform: Platform,
  deps: {
    rules: ReferralRules
    organisationName(id: string): Promise<string | null>
    disclosures: DisclosureGate
  },
) {
  const { database, audit } = platform
  const { db } = database

  return {
    /**
     * /staff/my-referrals: a partner referrer's view of their organisation's referrals. Reference, date,
     * and each need's status and outcome: never names, notes, reasons or anyone else's referrals.
     */
    async partnerReferrals(user: StaffUser, page: number, ctx: AuditContext) {
      requirePermission(user, 'referrals.submit')
      const organisationId = user.organisationId ?? null
      if (!organisationId) return { linked: false as const, rows: [], total: 0, pages: 1 }
      const verdict = await deps.disclosures.checkDisclosure(db, {
        organisation: organisationId,
        purpose: 'referral-status',
        dataItems: ['referral-status'],
        referralId: null,
        boroughId: null,
        userId: user.id,
      })
      if (!verdict.allowed) return { linked: true as const, refused: true, rows: [], total: 0, pages: 1 }
      const { rows, total } = await repo.byOrganisation(
        db,
        organisationId,
        PARTNER_PAGE_SIZE,
        (page - 1) * PARTNER_PAGE_SIZE,
      )
      const needs = await repo.needsOf(
        db,
        rows.map((r) => r.id),
      )
      await audit.record(db, ctx, {
        action: 'referral.partner-list-viewed',
        recordType: 'organisation',
        recordId: organisationId,
      })
      return {
        linked: true as const,
        organisation: await deps.organisationName(organisationId),
        total,
        pages: Math.max(1, Math.ceil(total / PARTNER_PAGE_SIZE)),
        rows: rows.map((r) => ({
          reference: formatReference(r.reference),
          status: r.status,
          createdAt: r.created_at,
          needs: needs
            .filter((n) => n.referral_id === r.id)
            .map((n) => ({ kind: n.kind, status: n.status, outcome: n.outcome })),
        })),
      }
    },

    /**
     * For the partner API: status and outcome codes only, and only of the organisation's own referrals;
     * `refused` without a data-sharing agreement covering it.
     */
    async statusForPartner(organisationId: string, referenceInput: string) {
      const reference = parseReference(referenceInput)
      const row = reference ? await repo.findByReference(db, reference) : undefined
      if (!row || row.referrer_organisation_id !== organisationId) return null
      const verdict = await deps.disclosures.checkDisclosure(db, {
        organisation: organisationId,
        purpose: 'referral-status',
        dataItems: ['referral-status'],
        referralId: row.id,
        boroughId: row.borough_id,
        userId: null,
      })
      if (!verdict.allowed) return 'refused' as const
      const needs = await repo.needsOf(db, [row.id])
      return {
        reference: row.reference,
        status: row.status,
        needs: needs.map((n) => ({
          need: n.kind,
          status: n.status,
          fhirTaskStatus: FHIR_TASK_STATUS[n.status],
          outcome: n.outcome,
        })),
      }
    },

    /**
     * /track: the reference and a second answer (the three words given with it, the date of birth or the
     * postcode). A wrong answer and an unknown reference give the same null.
     */
    async track(
      referenceInput: string,
      answer: { dateOfBirth?: string; postcode?: string; words?: string },
      ctx: AuditContext,
    ) {
      const reference = parseReference(referenceInput)
      const row = reference ? await repo.findByReference(db, reference) : undefined
      const resident = (row?.answers_json.resident ?? {}) as {
        dateOfBirth?: string
        postcode?: string | null
      }
      const givenPostcode = answer.postcode ? normalisePostcode(answer.postcode) : null
      const matches =
        (answer.dateOfBirth !== undefined && resident.dateOfBirth === answer.dateOfBirth) ||
        (givenPostcode !== null && resident.postcode === givenPostcode) ||
        (answer.words !== undefined &&
          row?.tracking_words_hash != null &&
          trackingWordsHash(row.reference, answer.words) === row.tracking_words_hash)
      if (!row || !matches) return null
      const needs = await repo.needsOf(db, [row.id])
      await audit.record(db, ctx, { action: 'referral.tracked', recordType: 'referral', recordId: row.id })
      return {
        reference: row.reference,
        createdAt: row.created_at,
        byDate: firstContactBy(deps.rules, row.created_at),
        needs: needs.map((n) => ({
          kind: n.kind,
          status: n.status,
          outcome: n.outcome,
          signposting: n.signposting,
        })),
      }
    },
  }
}

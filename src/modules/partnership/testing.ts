import type { Permission, StaffUser } from '#platform/access.ts'
import { newId } from '#platform/ids.ts'
import type { TestHub } from '#tests/support/hub.ts'
import { createStaff } from '#tests/support/users.ts'
import type { AgreementInput } from './partner.service.ts'

export const CTX = { userId: null, actor: 'test', ip: '127.0.0.1', requestId: null }

/** The partnership lead in tests: every partnership permission. */
export function lead(permissions: Permission[] = ['partnership.view', 'partnership.manage']): StaffUser {
  return {
    id: newId(),
    name: 'Pat Lead',
    email: 'pat.lead@hub.test',
    roles: [],
    permissions: new Set(permissions),
    boroughs: 'all',
  }
}

/** A complete agreement in force for referrals and their status; override any part. */
export function agreementInput(
  organisationId: string,
  overrides: Partial<AgreementInput> = {},
): AgreementInput {
  return {
    organisationId,
    title: 'Referrals for digital help',
    purpose: 'Sending residents who ask for help to the partner, and telling the partner where referrals are',
    purposes: ['referral', 'referral-status'],
    parties: 'The two councils (joint controllers); the partner (controller of its own service)',
    dataItems: ['name', 'contact-details', 'address', 'date-of-birth', 'needs', 'referral-status'],
    lawfulBasis: 'Public task (UK GDPR Article 6(1)(e))',
    specialCategory: null,
    specialCondition: null,
    rights: 'Residents ask either council; the councils pass requests on within 5 working days',
    retention: 'Deleted 12 months after the help ends',
    security: 'Secure email and the Hub only; access by named staff',
    startsOn: '2026-01-01',
    reviewOn: '2099-12-31',
    signedOffBy: 'Data protection officers of both councils',
    status: 'in-force',
    ...overrides,
  }
}

/**
 * A partner's agreement in force, a meeting and an action owned by one of its contacts: the records the
 * access walk visits. Not a borough's: the partnership is of both.
 */
export async function partnershipRecords(
  partnership: {
    createAgreement(user: StaffUser, input: AgreementInput, ctx: typeof CTX): Promise<string>
    addContact(
      user: StaffUser,
      organisationId: string,
      input: { name: string; role: string; email: string | null; phone: string | null },
      ctx: typeof CTX,
    ): Promise<string>
    createMeeting(
      user: StaffUser,
      input: { title: string; heldOn: string; venue: string; agenda: string; nextMeetingOn: string | null },
      ctx: typeof CTX,
    ): Promise<string>
    addAction(
      user: StaffUser,
      meetingId: string,
      input: { text: string; dueOn: string; isPublic: boolean; owners: string[] },
      ctx: typeof CTX,
    ): Promise<string>
  },
  organisationId: string,
  tag: string,
) {
  const pat = lead()
  const agreementId = await partnership.createAgreement(pat, agreementInput(organisationId), CTX)
  const contactId = await partnership.addContact(
    pat,
    organisationId,
    { name: `Walk contact ${tag}`, role: 'Manager', email: null, phone: null },
    CTX,
  )
  const meetingId = await partnership.createMeeting(
    pat,
    { title: `Walk meeting ${tag}`, heldOn: '2027-03-03', venue: 'Library', agenda: '', nextMeetingOn: null },
    CTX,
  )
  const actionId = await partnership.addAction(
    pat,
    meetingId,
    { text: `Walk action ${tag}`, dueOn: '2027-04-01', isPublic: true, owners: [`contact:${contactId}`] },
    CTX,
  )
  return { organisationId, agreementId, meetingId, actionId }
}

/** An agreement in force with the partner for referrals and their status: what tests of sharing need. */
export function sharingAgreed(
  partnership: { createAgreement(user: StaffUser, input: AgreementInput, ctx: typeof CTX): Promise<string> },
  organisationId: string,
): Promise<string> {
  return partnership.createAgreement(lead(), agreementInput(organisationId), CTX)
}

/**
 * The two kinds of action owner: a contact of a new partner organisation, and a partnership lead on
 * the staff. Each as the owner key's id.
 */
export async function actionOwners(hub: TestHub, organisationName: string) {
  const org = await hub.directory.findOrCreatePartnerOrganisation({ name: organisationName }, CTX)
  const contactOwner = await hub.partnership.addContact(
    lead(),
    org.id,
    { name: 'Robin Partner', role: 'Trustee', email: 'robin@partner.test', phone: null },
    CTX,
  )
  const staff = await createStaff(hub, { roles: ['partnership-lead'], boroughs: 'all', name: 'Sam Staff' })
  return { contactOwner, staffOwner: staff.id }
}

/** A meeting with an agenda and a next date, made by `user`. */
export function testMeeting(hub: TestHub, user: StaffUser, title = 'Partnership meeting'): Promise<string> {
  return hub.partnership.createMeeting(
    user,
    {
      title,
      heldOn: '2027-03-03',
      venue: 'Kensington Central Library',
      agenda: '1. Devices\n2. Funding',
      nextMeetingOn: '2027-06-02',
    },
    CTX,
  )
}

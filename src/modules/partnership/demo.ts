import type { StaffUser } from '#platform/access.ts'
import type { DirectoryService } from '../directory/index.ts'
import type { ActionService } from './action.service.ts'
import { addDays, today } from './agreement.ts'
import type { MeetingService } from './meeting.service.ts'
import type { PartnerService } from './partner.service.ts'
import { agreementInput } from './testing.ts'

const CTX = { userId: null, actor: 'seed-demo', ip: null, requestId: null }
const LEAD: StaffUser = {
  id: '00000000-0000-7000-8000-000000000015',
  name: 'Demo partnership lead',
  email: 'partnership-lead@hub.example',
  roles: ['partnership-lead'],
  permissions: new Set(['partnership.view', 'partnership.manage']),
  boroughs: 'all',
}

/**
 * Fictional partnership records on the directory's demo partners: an agreement in force, one lapsing within
 * the warning days, a partner with a draft only (so a referral to it is refused), and two meetings with
 * minutes and actions, the first closed.
 */
export async function seedDemoPartnership(
  partners: PartnerService,
  meetings: MeetingService,
  actions: ActionService,
  directory: DirectoryService,
): Promise<string[]> {
  const harbour = await directory.findOrganisation('demo-harbour-trust')
  const westway = await directory.findOrganisation('demo-westway-discharge')
  const northbank = await directory.findOrganisation('demo-northbank-learning')
  if (!harbour || !westway || !northbank) return []
  if ((await partners.getPartner(LEAD, harbour.id)).profile)
    return ['Partnership: demo records already there']

  const day = today()
  await partners.saveProfile(
    LEAD,
    harbour.id,
    {
      partnerType: 'charity',
      boroughs: ['wcc'],
      charityNumber: '1099001',
      companyNumber: null,
      offers: 'Drop-in digital help, phone charging and Wi-Fi at the day centre',
      needs: 'Refurbished laptops and volunteers on Tuesdays',
    },
    CTX,
  )
  const ana = await partners.addContact(
    LEAD,
    harbour.id,
    { name: 'Ana Demo', role: 'Centre manager', email: 'ana.demo@harbour.example', phone: null },
    CTX,
  )
  await partners.createAgreement(
    LEAD,
    agreementInput(harbour.id, {
      title: 'Harbour Street referrals',
      startsOn: addDays(day, -200),
      reviewOn: addDays(day, 165),
    }),
    CTX,
  )

  await partners.saveProfile(
    LEAD,
    westway.id,
    {
      partnerType: 'nhs',
      boroughs: ['rbkc', 'wcc'],
      charityNumber: null,
      companyNumber: null,
      offers: 'Refers patients going home who need to get online',
      needs: 'Quick device loans on discharge',
    },
    CTX,
  )
  const omar = await partners.addContact(
    LEAD,
    westway.id,
    { name: 'Omar Demo', role: 'Discharge coordinator', email: 'omar.demo@westway.example', phone: null },
    CTX,
  )
  await partners.createAgreement(
    LEAD,
    agreementInput(westway.id, {
      title: 'Hospital discharge referrals',
      lawfulBasis: 'Public task; health data under Article 9(2)(h)',
      dataItems: [
        'name',
        'contact-details',
        'address',
        'date-of-birth',
        'needs',
        'health',
        'referral-status',
      ],
      specialCategory: 'Health needs relevant to going home',
      specialCondition: 'Article 9(2)(h): health or social care',
      startsOn: addDays(day, -345),
      reviewOn: addDays(day, 20),
    }),
    CTX,
  )

  await partners.saveProfile(
    LEAD,
    northbank.id,
    {
      partnerType: 'adult-learning',
      boroughs: ['rbkc'],
      charityNumber: null,
      companyNumber: null,
      offers: 'Essential digital skills courses',
      needs: 'Learners referred from libraries',
    },
    CTX,
  )
  await partners.createAgreement(
    LEAD,
    agreementInput(northbank.id, { title: 'Learner referrals (draft)', status: 'draft', signedOffBy: null }),
    CTX,
  )

  const autumn = await meetings.createMeeting(
    LEAD,
    {
      title: 'Digital inclusion partnership: autumn meeting',
      heldOn: addDays(day, -60),
      venue: 'Kensington Central Library',
      agenda: '1. Devices pooled across both boroughs\n2. Discharge referrals\n3. Any other business',
      nextMeetingOn: addDays(day, -5),
    },
    CTX,
  )
  await meetings.addAttendee(LEAD, autumn, { person: `contact:${ana}`, attendance: 'attended' }, CTX)
  await meetings.addAttendee(LEAD, autumn, { person: `contact:${omar}`, attendance: 'apologies' }, CTX)
  await meetings.addDecision(LEAD, autumn, 'Pool donated laptops across both boroughs from January', CTX)
  await actions.addAction(
    LEAD,
    autumn,
    {
      text: 'Share the list of donated laptops with partners',
      dueOn: addDays(day, -30),
      isPublic: true,
      owners: [`contact:${ana}`],
    },
    CTX,
  )
  const overdue = await actions.addAction(
    LEAD,
    autumn,
    {
      text: 'Agree a form for discharge referrals',
      dueOn: addDays(day, -10),
      isPublic: false,
      owners: [`contact:${omar}`],
    },
    CTX,
  )
  await meetings.saveMinutes(
    LEAD,
    autumn,
    {
      minutes: 'Partners agreed to pool devices. The hospital team will draft a discharge referral form.',
      nextMeetingOn: addDays(day, -5),
    },
    CTX,
  )
  await meetings.closeMinutes(LEAD, autumn, CTX)
  await actions.updateAction(LEAD, overdue, { status: 'in-progress', note: 'First draft shared' }, CTX)

  const winter = await meetings.createMeeting(
    LEAD,
    {
      title: 'Digital inclusion partnership: winter meeting',
      heldOn: addDays(day, -5),
      venue: 'Westminster Reference Library',
      agenda: '1. Actions from the autumn meeting\n2. Funding round\n3. Training for volunteers',
      nextMeetingOn: addDays(day, 85),
    },
    CTX,
  )
  await meetings.addAttendee(LEAD, winter, { person: `contact:${ana}`, attendance: 'attended' }, CTX)
  await meetings.addAttendee(LEAD, winter, { person: `contact:${omar}`, attendance: 'attended' }, CTX)
  await meetings.addDecision(LEAD, winter, 'Bid jointly to the winter connectivity fund', CTX)
  await actions.addAction(
    LEAD,
    winter,
    {
      text: 'Draft the joint funding bid',
      dueOn: addDays(day, 14),
      isPublic: true,
      owners: [`contact:${ana}`, `contact:${omar}`],
    },
    CTX,
  )
  await meetings.saveMinutes(
    LEAD,
    winter,
    {
      minutes: 'Partners will bid jointly. Volunteer training dates to follow.',
      nextMeetingOn: addDays(day, 85),
    },
    CTX,
  )
  return [
    'Partnership: 3 partners (agreements in force, one due for review within 30 days, one draft only), 2 meetings with minutes and actions (the autumn minutes closed)',
  ]
}

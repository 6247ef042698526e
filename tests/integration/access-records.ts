import { anIccid, coordinator } from '#modules/devices/testing.ts'
import { buildPlace, buildService } from '#modules/directory/testing.ts'
import { memberAnswers, staffIn } from '#modules/home-library/testing.ts'
import { partnershipRecords } from '#modules/partnership/testing.ts'
import { formatReference } from '#modules/referrals/referral.ts'
import { referralBody } from '#modules/referrals/testing.ts'
import { apply as applyToVolunteer, staffIn as volunteerCoordinator } from '#modules/volunteers/testing.ts'
import { newId } from '#platform/ids.ts'
import type { TestHub } from '#tests/support/hub.ts'
import { boroughId, createStaff } from '#tests/support/users.ts'

export const BOROUGHS = ['rbkc', 'wcc'] as const
export type Borough = (typeof BOROUGHS)[number]

const CTX = { userId: null, actor: 'cli', ip: null, requestId: null }
/** Two postcodes in each borough: a referral's postcode decides its borough. */
const POSTCODES: Record<Borough, [string, string]> = {
  rbkc: ['W8 4RT', 'SW3 5EZ'],
  wcc: ['W1K 2PB', 'SW1V 2PU'],
}

/** One borough's records, named so that each name appears on no page of the other borough. */
export interface BoroughRecords {
  user: { id: string; name: string }
  /** A message about one of the borough's people, in the outbox. */
  message: string
  referral: Awaited<ReturnType<typeof referral>>
  /** A second resident, for the merge and keep-apart decisions. */
  other: Awaited<ReturnType<typeof referral>>
  place: { id: string; name: string }
  service: { id: string; name: string }
  exception: string
  problem: string
  /** A partner organisation of the borough and a referral it made. */
  partner: { id: string; name: string; reference: string }
  /** A digital help session, its first date, and a booking at it of a person (a learner). */
  session: { id: string; dateId: string; name: string; bookingId: string; learnerId: string }
  /** A Home Library member on a round with a planned visit, and a routed request not yet a member. */
  homeLibrary: Awaited<ReturnType<typeof homeLibrary>>
  /** A SIM card with a voucher code at one of the borough's libraries, and a donation taken in there. */
  device: { id: string; tag: string; donation: string }
  /** The partner's data-sharing agreement in force, a partnership meeting and an action from it. */
  partnership: Awaited<ReturnType<typeof partnershipRecords>>
  /** Someone who applied to volunteer at one of the borough's libraries. */
  volunteer: { id: string; name: string; shiftId: string; shiftName: string; hoursId: string }
}

/** A path to each borough's record, for every route with path parameters. */
export type Paths = Record<string, Record<Borough, string>>

export async function makeRecords(hub: TestHub) {
  const made = {} as Record<Borough, BoroughRecords>
  for (const code of BOROUGHS) made[code] = await boroughRecords(hub, code)
  return { made, paths: { ...paths(made), ...(await partnershipPaths(hub)) } }
}

/** A sent bulletin with a recipient and a draft: the partnership's, no borough's, so both walk the same. */
async function partnershipPaths(hub: TestHub): Promise<Paths> {
  const { mailing, bulletins } = hub.partnership
  await mailing.signUp(CTX, { email: 'walk.subscriber@example.org', lists: ['funding'], wording: 'Walk' })
  const { rows } = await hub.platform.outbox.list({ scope: null, limit: 500, offset: 0 })
  const link = rows.find((r) => r.template === 'partnership-mailing-confirm')?.personalisation_json.confirmUrl
  await mailing.confirm(CTX, link?.split('/').pop() ?? '')
  const lead = staffIn('all', ['partnership.mailing'])
  const sent = await bulletins.create(lead, CTX, { title: 'Walk bulletin', body: 'Text', list: 'funding' })
  await bulletins.send(lead, CTX, sent)
  const recipient = (await bulletins.recipients(lead, sent, 1)).rows[0]?.id
  const draft = await bulletins.create(lead, CTX, { title: 'Walk draft', body: 'Text', list: 'funding' })
  const base = '/staff/partnership/bulletins'
  const both = (path: string) => ({ rbkc: path, wcc: path })
  return {
    [`${base}/:id`]: both(`${base}/${sent}`),
    [`${base}/:id/edit`]: both(`${base}/${draft}/edit`),
    [`${base}/:id/send`]: both(`${base}/${draft}/send`),
    [`${base}/:id/recipients`]: both(`${base}/${sent}/recipients`),
    [`${base}/:id/recipients/:recipientId/complaint`]: both(
      `${base}/${sent}/recipients/${recipient}/complaint`,
    ),
  }
}

function paths(made: Record<Borough, BoroughRecords>): Paths {
  const each = (path: (r: BoroughRecords) => string) => ({ rbkc: path(made.rbkc), wcc: path(made.wcc) })
  const user = (r: BoroughRecords) => `/staff/users/${r.user.id}`
  const ref = (r: BoroughRecords) => `/staff/referrals/${r.referral.id}`
  const dir = '/staff/directory'
  const result: Paths = {
    '/staff/outbox/:id': each((r) => `/staff/outbox/${r.message}`),
    '/staff/outbox/:id/retry': each((r) => `/staff/outbox/${r.message}/retry`),
    '/staff/users/:id': each(user),
    '/staff/referrals/:id': each(ref),
    '/staff/referrals/:id/needs/:needId': each((r) => `${ref(r)}/needs/${r.referral.needId}`),
    [`${dir}/services/:id`]: each((r) => `${dir}/services/${r.service.id}`),
    [`${dir}/services/:id/places/:placeId`]: each(
      (r) => `${dir}/services/${r.service.id}/places/${r.place.id}`,
    ),
    [`${dir}/places/:id`]: each((r) => `${dir}/places/${r.place.id}`),
    [`${dir}/places/:id/exceptions`]: each((r) => `${dir}/places/${r.place.id}/exceptions`),
    [`${dir}/places/:id/exceptions/:exceptionId/delete`]: each(
      (r) => `${dir}/places/${r.place.id}/exceptions/${r.exception}/delete`,
    ),
    [`${dir}/problems/:id/resolve`]: each((r) => `${dir}/problems/${r.problem}/resolve`),
    // Public pages: any real record will do.
    '/find-help/services/:id': each((r) => `/find-help/services/${r.service.id}`),
    '/find-help/services/:id/report': each((r) => `/find-help/services/${r.service.id}/report`),
    '/find-help/services/:id/report/sent': each((r) => `/find-help/services/${r.service.id}/report/sent`),
    '/find-help/places/:id': each((r) => `/find-help/places/${r.place.id}`),
    '/find-help/places/:id/report': each((r) => `/find-help/places/${r.place.id}/report`),
    '/find-help/places/:id/report/sent': each((r) => `/find-help/places/${r.place.id}/report/sent`),
    '/api/openreferral/services/:id': each((r) => `/api/openreferral/services/${r.service.id}`),
    '/api/v1/referrals/:reference': each((r) => `/api/v1/referrals/${r.partner.reference}`),
    '/staff/sessions/:id': each((r) => `/staff/sessions/${r.session.id}`),
    '/staff/sessions/dates/:id': each((r) => `/staff/sessions/dates/${r.session.dateId}`),
    '/staff/sessions/dates/:id/register': each((r) => `/staff/sessions/dates/${r.session.dateId}/register`),
    '/staff/sessions/dates/:id/waiting-list': each(
      (r) => `/staff/sessions/dates/${r.session.dateId}/waiting-list`,
    ),
    '/staff/sessions/dates/:id/book': each((r) => `/staff/sessions/dates/${r.session.dateId}/book`),
    '/staff/sessions/bookings/:id/skills': each(
      (r) => `/staff/sessions/bookings/${r.session.bookingId}/skills`,
    ),
    '/staff/sessions/learners/:id': each((r) => `/staff/sessions/learners/${r.session.learnerId}`),
    '/staff/sessions/:id/edit': each((r) => `/staff/sessions/${r.session.id}/edit`),
    '/staff/sessions/dates/:id/change': each((r) => `/staff/sessions/dates/${r.session.dateId}/change`),
    '/sessions/:id': each((r) => `/sessions/${r.session.dateId}`),
    '/sessions/places/:id/calendar.ics': each((r) => `/sessions/places/${r.place.id}/calendar.ics`),
    '/sessions/:id/book': each((r) => `/sessions/${r.session.dateId}/book`),
  }
  const hl = '/staff/home-library'
  const member = (r: BoroughRecords) => `${hl}/members/${r.homeLibrary.memberId}`
  const round = (r: BoroughRecords) => `${hl}/rounds/${r.homeLibrary.roundId}`
  result[`${hl}/members/:id`] = each(member)
  for (const action of ['access', 'edit', 'status', 'devices', 'visits'])
    result[`${hl}/members/:id/${action}`] = each((r) => `${member(r)}/${action}`)
  result[`${hl}/requests/:id`] = each((r) => `${hl}/requests/${r.homeLibrary.requestId}`)
  result[`${hl}/rounds/:id`] = each(round)
  result[`${hl}/rounds/:id/stops`] = each((r) => `${round(r)}/stops`)
  result[`${hl}/rounds/:id/sheet`] = each((r) => `${round(r)}/sheet`)
  result[`${hl}/rounds/:id/stops/:stopId`] = each((r) => `${round(r)}/stops/${r.homeLibrary.stopId}`)
  result[`${hl}/visits/:id`] = each((r) => `${hl}/visits/${r.homeLibrary.visitId}`)
  result[`${hl}/deposits/:id/refresh`] = each((r) => `${hl}/deposits/${r.homeLibrary.depositId}/refresh`)
  for (const step of ['', '/label', '/voucher', '/ready', '/to-wipe', '/lost', '/cancel', '/wipe', '/retire'])
    result[`/staff/devices/:id${step}`] = each((r) => `/staff/devices/${r.device.id}${step}`)
  for (const step of ['/allocate', '/hand-over', '/return', '/follow-up'])
    result[`/staff/devices/:id${step}`] = each((r) => `/staff/devices/${r.device.id}${step}`)
  result['/staff/devices/donations/:id'] = each((r) => `/staff/devices/donations/${r.device.donation}`)
  // The partnership's records belong to no borough: both boroughs' staff reach the same ones.
  const shared = (path: string) => ({ rbkc: path, wcc: path })
  const pp = '/staff/partnership'
  const { organisationId, agreementId, meetingId, actionId } = made.rbkc.partnership
  for (const step of ['', '/profile', '/contacts', '/agreements', '/agreements/new'])
    result[`${pp}/partners/:id${step}`] = shared(`${pp}/partners/${organisationId}${step}`)
  for (const step of ['', '/status'])
    result[`${pp}/agreements/:id${step}`] = shared(`${pp}/agreements/${agreementId}${step}`)
  for (const step of ['', '/attendees', '/decisions', '/actions', '/minutes', '/close'])
    result[`${pp}/meetings/:id${step}`] = shared(`${pp}/meetings/${meetingId}${step}`)
  for (const step of ['', '/updates'])
    result[`${pp}/actions/:id${step}`] = shared(`${pp}/actions/${actionId}${step}`)
  result['/volunteer/:page'] = each(() => '/volunteer/name')
  result['/staff/volunteers/:id'] = each((r) => `/staff/volunteers/${r.volunteer.id}`)
  result['/staff/volunteers/rota/:id'] = each((r) => `/staff/volunteers/rota/${r.volunteer.shiftId}`)
  result['/staff/volunteers/rota/:id/attended'] = each(
    (r) => `/staff/volunteers/rota/${r.volunteer.shiftId}/attended`,
  )
  result['/staff/volunteers/hours/:id'] = each((r) => `/staff/volunteers/hours/${r.volunteer.hoursId}`)
  result['/staff/volunteers/:id/letter'] = each((r) => `/staff/volunteers/${r.volunteer.id}/letter`)
  result['/staff/volunteers/rota/:id/assign'] = each(
    (r) => `/staff/volunteers/rota/${r.volunteer.shiftId}/assign`,
  )
  result['/staff/volunteering/shifts/:id/claim'] = each(
    (r) => `/staff/volunteering/shifts/${r.volunteer.shiftId}/claim`,
  )
  for (const action of ['move', 'account', 'checks', 'training'])
    result[`/staff/volunteers/:id/${action}`] = each((r) => `/staff/volunteers/${r.volunteer.id}/${action}`)
  for (const action of ['access', 'disable', 'enable'])
    result[`/staff/users/:id/${action}`] = each((r) => `${user(r)}/${action}`)
  for (const action of ['contact', 'notes', 'assign', 'transfer'])
    result[`/staff/referrals/:id/${action}`] = each((r) => `${ref(r)}/${action}`)
  for (const decision of ['merge', 'distinct'])
    result[`/staff/referrals/:id/people/:otherId/${decision}`] = each(
      (r) => `${ref(r)}/people/${r.other.personId}/${decision}`,
    )
  return result
}

async function boroughRecords(hub: TestHub, code: Borough): Promise<BoroughRecords> {
  const { db } = hub.database
  const tag = code.toUpperCase()
  const userName = `Walk officer ${tag}`
  const user = await createStaff(hub, { roles: ['volunteer'], boroughs: [code], name: userName })
  const message = await hub.platform.outbox.enqueue(db, {
    channel: 'email',
    template: 'password-changed',
    recipient: `walk.${code}@hub.test`,
    personalisation: { name: userName, serviceName: 'Hub' },
    boroughId: await boroughId(hub, code),
  })
  const [first, second] = POSTCODES[code]
  const partnerName = `Walk partner ${tag}`
  const partner = await hub.directory.findOrCreatePartnerOrganisation(
    { name: partnerName, borough: code },
    CTX,
  )
  const [mine, other, fromPartner] = await Promise.all([
    referral(hub, { postcode: first, name: `Walk resident ${tag}` }),
    referral(hub, { postcode: second, name: `Walk neighbour ${tag}` }),
    referral(hub, { postcode: first, name: `Walk partner resident ${tag}` }, partner.id),
  ])

  const borough = await db
    .selectFrom('boroughs')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirstOrThrow()
  const council = await db
    .selectFrom('organisations')
    .select('id')
    .where('borough_id', '=', borough.id)
    .where('kind', '=', 'library-service')
    .executeTakeFirstOrThrow()
  const placeName = `Walk place ${tag}`
  const serviceName = `Walk service ${tag}`
  const place = await buildPlace(db, {
    organisationId: council.id,
    boroughId: borough.id,
    name: placeName,
    latitude: 51.5,
    longitude: -0.19,
  })
  const service = await buildService(db, {
    organisation_id: council.id,
    borough_id: borough.id,
    name: serviceName,
    placeIds: [place],
  })
  const exception = newId()
  await db
    .insertInto('opening_exceptions')
    .values({
      id: exception,
      location_id: place,
      date: '2026-12-25',
      is_closed: true,
      opens_at: null,
      closes_at: null,
      reason: 'Christmas Day',
    })
    .execute()
  const problem = newId()
  await db
    .insertInto('directory_problems')
    .values({
      id: problem,
      record_type: 'service',
      record_id: service,
      details: `The phone number is wrong ${tag}`,
      created_at: new Date().toISOString(),
      resolved_at: null,
    })
    .execute()
  const session = await walkSession(hub, borough.id, `Walk session ${tag}`)
  return {
    session,
    user: { id: user.id, name: userName },
    message,
    referral: mine,
    other,
    place: { id: place, name: placeName },
    service: { id: service, name: serviceName },
    exception,
    problem,
    partner: { id: partner.id, name: partnerName, reference: fromPartner.reference },
    homeLibrary: await homeLibrary(hub, code, borough.id, user.id),
    device: await deviceRecord(hub, borough.id, code),
    partnership: await partnershipRecords(hub.partnership, partner.id, tag),
    volunteer: await volunteerRecord(hub, borough.id, `Walk volunteer ${tag}`),
  }
}

/** An application to volunteer at one of the borough's libraries, and a shift on the borough's rota. */
async function volunteerRecord(hub: TestHub, boroughId: string, name: string) {
  const coordinator = volunteerCoordinator([boroughId])
  const shiftName = `${name} shift`
  const date = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10)
  const shiftId = await hub.volunteers.rota.createShift(
    coordinator,
    {
      borough: boroughId,
      title: shiftName,
      place: 'Walk library',
      date,
      start: '10:00',
      end: '12:00',
      places: 2,
      checkNeeded: 'none',
      courses: [],
    },
    CTX,
  )
  // Their own account, linked, with hours they added waiting for approval.
  const code = (await hub.accounts.listBoroughs()).find((b) => b.id === boroughId)?.code as string
  const account = await createStaff(hub, { roles: ['volunteer'], boroughs: [code], name: `${name} account` })
  const id = await applyToVolunteer(hub, boroughId, { name: { name } })
  await hub.volunteers.volunteers.linkAccount(coordinator, id, account.id, CTX)
  const self = { ...coordinator, id: account.id, permissions: new Set(['volunteers.own'] as const) }
  const today = new Date().toISOString().slice(0, 10)
  await hub.volunteers.hours.addOwn(
    self,
    { workedOn: today, hours: 2, place: 'Walk library', what: 'Helped' },
    CTX,
  )
  const hoursId = (await hub.volunteers.hours.pending(coordinator)).find((h) => h.volunteer_id === id)
    ?.id as string
  return { id, name, shiftId, shiftName, hoursId }
}

/** A member on a round of the borough's walk volunteer, with planned visits; and a routed request. */
async function homeLibrary(hub: TestHub, code: Borough, boroughId: string, delivererId: string) {
  const tag = code.toUpperCase()
  const coordinator = staffIn([boroughId])
  const hl = hub['home-library']
  const memberName = `Walk member ${tag}`
  const memberId = await hl.members.add(
    coordinator,
    { ...memberAnswers(), name: memberName, borough: boroughId, phone: '', postcode: '' },
    CTX,
  )
  const roundName = `Walk round ${tag}`
  const roundId = await hl.rounds.create(
    coordinator,
    boroughId,
    { borough: boroughId, name: roundName, library: 'Walk library', weekday: 2, deliverer: delivererId },
    CTX,
  )
  await hl.rounds.addStop(coordinator, roundId, memberId, CTX)
  const stop = (await hl.rounds.get(coordinator, roundId)).stops[0]
  const visit = (await hl.visits.ofMember(memberId))[0]
  if (!stop || !visit) throw new Error('The walk member has no stop or visit')
  const requestName = `Walk request ${tag}`
  const asked = await referral(hub, { postcode: POSTCODES[code][0], name: requestName }, undefined, [
    { kind: 'home-library', reason: 'carer', interests: '' },
  ])
  const officer = staffIn([boroughId], ['referrals.view', 'referrals.triage'])
  for (const to of ['in-triage', 'routed'] as const)
    await hub.referrals.changeNeed(officer, { referralId: asked.id, needId: asked.needId, to }, CTX)
  const depositName = `Walk deposit ${tag}`
  const depositId = await hl.deposits.add(
    coordinator,
    { borough: boroughId, site: depositName, kind: 'care-home', itemsPlaced: 30, refreshWeeks: 4 },
    CTX,
  )
  return {
    memberId,
    memberName,
    roundId,
    roundName,
    stopId: stop.id,
    visitId: visit.id,
    requestId: asked.needId,
    requestName,
    depositId,
    depositName,
  }
}

/** A SIM card (it needs no wipe, so every step of the walk has something to do) and a donation. */
async function deviceRecord(hub: TestHub, boroughId: string, code: Borough) {
  const library = (await hub.directory.listLibraries()).find((l) => l.borough_id === boroughId)
  if (!library) throw new Error(`No library in ${code}`)
  const staff = coordinator([boroughId])
  const donation = await hub.devices.recordDonation(
    staff,
    {
      library: library.id,
      donorKind: 'organisation',
      donorName: `Walk donor ${code.toUpperCase()}`,
      donorEmail: '',
      receivedOn: '2026-12-01',
      description: 'Two laptops',
    },
    CTX,
  )
  const id = await hub.devices.addDevice(
    staff,
    {
      kind: 'sim',
      makeModel: `Walk SIM ${code.toUpperCase()}`,
      serial: '',
      identifier: anIccid(),
      source: 'national-scheme',
      donation: '',
      condition: 'new',
      library: library.id,
      network: 'Vodafone',
      allowance: '20GB a month',
      activatedOn: '2026-12-01',
      expiresOn: '2027-06-01',
      voucherCode: `VOUCHER-${code}`,
    },
    CTX,
  )
  const { device } = await hub.devices.getDevice(staff, id)
  return { id, tag: device.asset_tag, donation }
}

/** A referral for a resident at the postcode given, from a partner organisation when one is given. */
async function referral(
  hub: TestHub,
  resident: { postcode: string; name: string },
  organisationId?: string,
  needs?: Record<string, unknown>[],
) {
  const { reference } = await hub.referrals.submit(
    referralBody(needs ? { resident, needs } : { resident }),
    organisationId
      ? { source: 'partner-api', organisationId, privacyNoticeVersion: 'test' }
      : { source: 'partner-web', privacyNoticeVersion: 'test' },
    { ...CTX, actor: 'public' },
  )
  const row = await hub.database.db
    .selectFrom('referrals')
    .innerJoin('referral_needs', 'referral_needs.referral_id', 'referrals.id')
    .select(['referrals.id', 'referrals.person_id', 'referral_needs.id as needId'])
    .where('referrals.reference', '=', reference)
    .executeTakeFirstOrThrow()
  return {
    id: row.id,
    personId: row.person_id,
    needId: row.needId,
    reference: formatReference(reference),
    residentName: resident.name,
  }
}

/** An online session of the borough next year, made as a manager of every borough would. */
async function walkSession(hub: TestHub, boroughId: string, name: string) {
  const manager = {
    id: newId(),
    name: 'Walk manager',
    email: 'walk.manager@hub.test',
    roles: [],
    permissions: new Set(['sessions.view', 'sessions.manage'] as const),
    boroughs: 'all' as const,
  }
  const start = `${new Date().getUTCFullYear() + 1}-02-02`
  const id = await hub.sessions.createSession(
    manager,
    {
      boroughId,
      kind: 'one-to-one',
      title: name,
      description: '',
      venue: 'online',
      locationId: null,
      serviceCode: null,
      onlineLink: 'https://meet.example.org/walk',
      language: 'English',
      whatToBring: null,
      capacity: 2,
      facilitators: [],
      rule: { start, startTime: '10:00', endTime: '11:00', byDay: ['TU'], count: 1, exdates: [] },
    },
    CTX,
  )
  const { occurrences } = await hub.sessions.staffSession(manager, id)
  const dateId = occurrences[0]?.id as string
  const booker = { ...manager, permissions: new Set(['sessions.book'] as const) }
  const resident = {
    name: `${name} learner`,
    email: null,
    phone: null,
    canEmail: false,
    canText: false,
    carerName: null,
    carerContact: null,
    carerConsent: false,
  }
  const { reference } = await hub.sessions.bookOnBehalf(
    booker,
    { ...resident, occurrenceId: dateId, personId: null, needId: null },
    CTX,
  )
  const booking = await hub.database.db
    .selectFrom('help_session_bookings')
    .select(['id', 'person_id'])
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow()
  return { id, dateId, name, bookingId: booking.id, learnerId: booking.person_id as string }
}

import { anIccid, coordinator } from '#modules/devices/testing.ts'
import { buildPlace, buildService } from '#modules/directory/testing.ts'
import { formatReference } from '#modules/referrals/referral.ts'
import { referralBody } from '#modules/referrals/testing.ts'
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
  /** A SIM card with a voucher code at one of the borough's libraries, and a donation taken in there. */
  device: { id: string; tag: string; donation: string }
}

/** A path to each borough's record, for every route with path parameters. */
export type Paths = Record<string, Record<Borough, string>>

export async function makeRecords(hub: TestHub) {
  const made = {} as Record<Borough, BoroughRecords>
  for (const code of BOROUGHS) made[code] = await boroughRecords(hub, code)
  return { made, paths: paths(made) }
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
  }
  for (const step of ['', '/label', '/voucher', '/ready', '/to-wipe', '/lost', '/cancel', '/wipe', '/retire'])
    result[`/staff/devices/:id${step}`] = each((r) => `/staff/devices/${r.device.id}${step}`)
  for (const step of ['/allocate', '/hand-over', '/return'])
    result[`/staff/devices/:id${step}`] = each((r) => `/staff/devices/${r.device.id}${step}`)
  result['/staff/devices/donations/:id'] = each((r) => `/staff/devices/donations/${r.device.donation}`)
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
  return {
    user: { id: user.id, name: userName },
    message,
    referral: mine,
    other,
    place: { id: place, name: placeName },
    service: { id: service, name: serviceName },
    exception,
    problem,
    partner: { id: partner.id, name: partnerName, reference: fromPartner.reference },
    device: await deviceRecord(hub, borough.id, code),
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
async function referral(hub: TestHub, resident: { postcode: string; name: string }, organisationId?: string) {
  const { reference } = await hub.referrals.submit(
    referralBody({ resident }),
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

import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TestClient } from '#tests/support/client.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { boroughId, signedInClient, TEST_PASSWORD } from '#tests/support/users.ts'
import { sharingAgreed } from '../partnership/testing.ts'
import { PARTNER_PAGE_SIZE } from './referral-status.service.ts'
import { CTX, referralBody, walk } from './testing.ts'

/** A partner referrer's account, linked to an organisation, signed in through the form. */
async function partnerClient(hub: TestHub, organisationId: string | null, email: string) {
  await hub.accounts.createUser(
    {
      name: 'Pat Partner',
      email,
      password: TEST_PASSWORD,
      roles: ['partner-referrer'],
      allBoroughs: false,
      boroughIds: [await boroughId(hub, 'rbkc')],
      organisationId,
    },
    CTX,
  )
  const client = new TestClient(hub.app)
  await client.get('/staff/sign-in')
  assert.equal((await client.post('/staff/sign-in', { email, password: TEST_PASSWORD })).statusCode, 303)
  return client
}

describe('a partner referrer follows their own referrals at /staff/my-referrals', () => {
  let hub: TestHub
  let mine: string
  let theirs: string

  before(async () => {
    hub = await testHub('sqlite')
    mine = (await hub.directory.findOrCreatePartnerOrganisation({ name: 'Riverside Housing' }, CTX)).id
    theirs = (await hub.directory.findOrCreatePartnerOrganisation({ name: 'Other Charity' }, CTX)).id
    await sharingAgreed(hub.partnership, mine)
  })
  after(() => hub.close())

  test("lists the organisation's referrals in plain words: no names, no notes, nobody else's", async () => {
    const submit = (organisationId: string, name: string) =>
      hub.referrals.submit(
        referralBody({ resident: { name, phone: '07700 900444' } }),
        { source: 'partner-api', organisationId, privacyNoticeVersion: 'v1' },
        CTX,
      )
    const own = await submit(mine, 'Secret Resident')
    const other = await submit(theirs, 'Someone Else')
    const row = await hub.database.db
      .selectFrom('referrals')
      .innerJoin('referral_needs', 'referral_needs.referral_id', 'referrals.id')
      .select(['referrals.id', 'referral_needs.id as needId'])
      .where('reference', '=', own.reference)
      .executeTakeFirstOrThrow()
    const officer = await signedInClient(hub, { roles: ['triage-officer'], boroughs: ['rbkc'] })
    await officer.client.get(`/staff/referrals/${row.id}`)
    const moved = await officer.client.post(`/staff/referrals/${row.id}/needs/${row.needId}`, {
      to: 'in-triage',
      note: 'PRIVATE NOTE about the resident',
    })
    assert.equal(moved.statusCode, 303)

    const client = await partnerClient(hub, mine, 'pat.mine@partner.test')
    const page = await client.get('/staff/my-referrals')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /href="\/staff\/my-referrals"/, 'in the navigation')
    assert.match(page.body, new RegExp(`${own.reference.slice(0, 4)}-${own.reference.slice(4)}`))
    assert.match(page.body, /A device:/)
    assert.match(page.body, /govuk-tag--teal">\s*In triage/)
    assert.doesNotMatch(page.body, new RegExp(other.reference.slice(0, 4)), "not another organisation's")
    assert.doesNotMatch(page.body, /PRIVATE NOTE|Secret Resident|07700/, 'no notes, no personal data')
    assert.match(page.headers['cache-control'] ?? '', /no-store/)
    // Staff who do not refer cannot open it; the partner cannot open the triage pages.
    assert.equal((await officer.client.get('/staff/my-referrals')).statusCode, 403)
    assert.equal((await client.get(`/staff/referrals/${row.id}`)).statusCode, 403)
  })

  test('pages through many referrals', async () => {
    const org = (await hub.directory.findOrCreatePartnerOrganisation({ name: 'Busy Partner' }, CTX)).id
    await sharingAgreed(hub.partnership, org)
    for (let i = 0; i < PARTNER_PAGE_SIZE + 2; i++)
      await hub.referrals.submit(
        referralBody({ resident: { name: `Person ${i}`, phone: `07700 92${String(i).padStart(4, '0')}` } }),
        { source: 'partner-api', organisationId: org, privacyNoticeVersion: 'v1' },
        CTX,
      )
    const client = await partnerClient(hub, org, 'pat.busy@partner.test')
    const first = await client.get('/staff/my-referrals')
    assert.match(first.body, new RegExp(`${PARTNER_PAGE_SIZE + 2} referrals`))
    assert.match(first.body, /Page 1 of 2/)
    assert.equal(first.body.match(/<tr class="govuk-table__row">/g)?.length, PARTNER_PAGE_SIZE + 1)
    assert.match(first.body, /href="\/staff\/my-referrals\?page=2"/)
    const second = await client.get('/staff/my-referrals?page=2')
    assert.equal(second.body.match(/<tr class="govuk-table__row">/g)?.length, 3, 'a header and 2 rows')
    const junk = await client.get('/staff/my-referrals?page=abc')
    assert.match(junk.body, /Page 1 of 2/)
  })

  test("a referral a signed-in partner sends through /refer is their organisation's", async () => {
    const org = (await hub.directory.findOrCreatePartnerOrganisation({ name: 'Web Partner' }, CTX)).id
    await sharingAgreed(hub.partnership, org)
    const client = await partnerClient(hub, org, 'pat.web@partner.test')
    await walk(client, [
      ['who', { who: 'someone-else' }],
      [
        'referrer',
        {
          name: 'Pat Partner',
          organisation: 'Web Partner',
          role: 'Support worker',
          email: 'pat.web@partner.test',
          phone: '',
          relationship: 'Support worker',
        },
      ],
      ['consent', { consent: 'yes' }],
      ['name', { name: 'Web Resident' }],
      ['dob', { choice: 'date' }],
      ['dob-date', { day: '1', month: '2', year: '1950' }],
      ['address', { hasAddress: 'yes' }],
      ['postcode', { postcode: 'W8 4RT' }],
      ['contact', { methods: ['phone'], phone: '07700 900888' }],
      ['safe', { safe: ['voicemail'] }],
      ['language', { language: '', interpreter: 'no' }],
      ['access', { accessNeeds: '' }],
      ['needs', { needs: ['device'] }],
      ['need-device', { deviceType: 'tablet' }],
      ['reporting', {}],
    ])
    await client.get('/refer/check')
    assert.equal((await client.post('/refer/check', {})).headers.location, '/refer/confirmation')
    const made = await hub.database.db
      .selectFrom('referrals')
      .select(['reference', 'referrer_organisation_id', 'source'])
      .where('resident_name', '=', 'Web Resident')
      .executeTakeFirstOrThrow()
    assert.equal(made.referrer_organisation_id, org)
    assert.equal(made.source, 'partner-web')
    const page = await client.get('/staff/my-referrals')
    assert.match(page.body, new RegExp(made.reference.slice(0, 4)))
    assert.match(page.body, /1 referral</)
  })

  test('an account not linked to an organisation is told so and sees no referrals', async () => {
    const client = await partnerClient(hub, null, 'pat.unlinked@partner.test')
    const page = await client.get('/staff/my-referrals')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /not linked to a partner organisation/)
    assert.doesNotMatch(page.body, /govuk-table/)
  })
})

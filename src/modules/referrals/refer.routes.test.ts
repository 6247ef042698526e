import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TestClient } from '#tests/support/client.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { SELF, walk } from './testing.ts'

describe('the /refer journey', () => {
  let hub: TestHub
  before(async () => {
    hub = await testHub('sqlite')
  })
  after(() => hub.close())

  test('a self-referral goes from start to confirmation with a reference, once, however often it is sent', async () => {
    const client = new TestClient(hub.app, '10.0.0.1')
    const last = await walk(client, SELF)
    assert.equal(last.headers.location, '/refer/check')
    const check = await client.get('/refer/check')
    assert.equal(check.statusCode, 200)
    assert.match(check.body, /Zoë Ångström-O’Brien 🌻/)
    // Check your answers: the postcode as it is written ("w8 4rt" typed), a Back link, and the privacy
    // notice linked by its name rather than a version number.
    assert.match(check.body, />\s*W8 4RT\s*</)
    assert.match(check.body, /<a href="\/refer\/[a-z-]+" class="govuk-back-link">/)
    assert.match(check.body, /<a class="govuk-link" href="\/privacy">[^<]*privacy notice[^<]*<\/a>/i)
    assert.doesNotMatch(check.body, /\(version \d{4}-/)
    assert.match(check.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/)
    assert.doesNotMatch(check.body, /<script>alert/)
    assert.match(check.body, /href="\/refer\/dob-date\?change=1"/)
    const token = client.csrfToken as string
    const first = await client.post('/refer/check', {})
    assert.equal(first.headers.location, '/refer/confirmation')
    // A double click or a refresh: the same form again, with the same token.
    const second = await client.post('/refer/check', {}, { csrf: token })
    assert.equal(second.statusCode, 303)
    assert.equal(second.headers.location, '/refer/confirmation')
    const confirmation = await client.get('/refer/confirmation')
    assert.equal(confirmation.statusCode, 200)
    const reference = confirmation.body.match(/([A-Z2-9]{4}-[A-Z2-9]{4})/)?.[1]
    assert.ok(reference, 'confirmation shows a reference')
    assert.match(reference, /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{4}-[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{4}$/)
    const rows = await hub.database.db.selectFrom('referrals').selectAll().execute()
    assert.equal(rows.length, 1)
    assert.equal(rows[0]?.reference, reference.replace('-', ''))
    assert.equal(rows[0]?.source, 'self')
    assert.equal(rows[0]?.privacy_notice_version.length > 0, true)
    const needs = await hub.database.db.selectFrom('referral_needs').select(['kind', 'team_code']).execute()
    assert.deepEqual(needs.map((n) => n.team_code).sort(), ['rbkc-devices', 'rbkc-skills'])
    // Acknowledgement on the channels said to be safe: email, and a text to the mobile.
    const messages = await hub.database.db.selectFrom('outbox').select(['channel', 'template']).execute()
    assert.deepEqual(messages.map((m) => m.channel).sort(), ['email', 'sms'])
    // The answers are no longer kept in the journey once sent.
    const journeys = await hub.database.db.selectFrom('referral_journeys').selectAll().execute()
    assert.deepEqual(journeys[0]?.answers_json, {})
    // Going back to a question after sending leads to the confirmation, not a second referral.
    const back = await client.get('/refer/name')
    assert.equal(back.headers.location, '/refer/confirmation')
  })

  test('an invalid answer re-renders with 400, an error summary linking to the field, and the answer kept', async () => {
    const client = new TestClient(hub.app, '10.0.0.2')
    await walk(client, [
      ['who', { who: 'self' }],
      ['name', { name: 'Ana Test' }],
      ['dob', { choice: 'date' }],
    ])
    await client.get('/refer/dob-date')
    const res = await client.post('/refer/dob-date', { day: '31', month: '2', year: '1960' })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /There is a problem/)
    assert.match(res.body, /href="#dob-day">Date of birth must be a real date/)
    assert.match(res.body, /value="31"/)
    const long = await client.post('/refer/name', { name: 'x'.repeat(201) })
    assert.equal(long.statusCode, 400)
    assert.match(long.body, /href="#name">Your name must be 200 characters or fewer/)
  })

  test('the error summary names every problem of a page at once, in the order of its fields', async () => {
    const client = new TestClient(hub.app, '10.0.0.9')
    await walk(client, [['who', { who: 'someone-else' }]])
    await client.get('/refer/referrer')
    const empty = await client.post('/refer/referrer', { role: 'x'.repeat(201) })
    assert.equal(empty.statusCode, 400)
    const summary = empty.body.match(/govuk-error-summary__list">([\s\S]*?)<\/ul>/)?.[1] ?? ''
    assert.deepEqual(
      [...summary.matchAll(/<a href="#([^"]*)">([^<]*)</g)].map((m) => `${m[1]}: ${m[2]}`),
      [
        'name: Enter your full name',
        'organisation: Enter the name of your organisation',
        'role: Your job or role must be 200 characters or fewer',
        'email: Enter your work email address or phone number',
        'relationship: Enter how you know the person',
      ],
    )
  })

  test('pages cannot be skipped, and a journey needs its cookie', async () => {
    const client = new TestClient(hub.app, '10.0.0.3')
    await walk(client, [['who', { who: 'self' }]])
    const skip = await client.get('/refer/needs')
    assert.equal(skip.statusCode, 303)
    assert.equal(skip.headers.location, '/refer/name')
    // A page opened with no journey at all (a bookmark, a shared link) starts one at its first question.
    const stranger = new TestClient(hub.app, '10.0.0.4')
    const none = await stranger.get('/refer/name')
    assert.equal(none.headers.location, '/refer/who')
    assert.equal((await stranger.get('/refer/who')).statusCode, 200)
    // Answers deleted (left too long): the start page says so.
    await hub.database.db.deleteFrom('referral_journeys').execute()
    const gone = await client.get('/refer/name')
    assert.equal(gone.headers.location, '/refer?expired=1')
  })

  test('sending the answers before they are complete is a 400 page, not a 500, and makes no referral', async () => {
    const client = new TestClient(hub.app, '10.0.0.5')
    await walk(client, SELF.slice(0, 3))
    const before = await hub.database.db.selectFrom('referrals').select('id').execute()
    const res = await client.post('/refer/check', {})
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /govuk-heading-l/)
    const after = await hub.database.db.selectFrom('referrals').select('id').execute()
    assert.equal(after.length, before.length)
  })

  test('someone referring another person without their agreement is stopped and told why', async () => {
    const client = new TestClient(hub.app, '10.0.0.5')
    await walk(client, [
      ['who', { who: 'someone-else' }],
      [
        'referrer',
        {
          name: 'Pat Worker',
          organisation: 'Housing Trust',
          role: 'Support worker',
          email: 'pat@example.org',
          phone: '',
          relationship: 'Key worker',
        },
      ],
    ])
    const res = await client.post('/refer/consent', { consent: 'no' })
    assert.equal(res.headers.location, '/refer/no-consent')
    const page = await client.get('/refer/no-consent')
    assert.match(page.body, /You need their agreement first/)
    const onward = await client.get('/refer/name')
    assert.equal(onward.headers.location, '/refer/consent')
  })

  test('a postcode on a boundary asks which council; one outside offers the connection question', async () => {
    const client = new TestClient(hub.app, '10.0.0.6')
    await walk(client, [
      ['who', { who: 'self' }],
      ['name', { name: 'Bo Rder' }],
      ['dob', { choice: 'skip' }],
    ])
    await client.post('/refer/address', { hasAddress: 'yes' })
    await client.get('/refer/postcode')
    let res = await client.post('/refer/postcode', { postcode: 'SW7 2AZ' })
    assert.equal(res.headers.location, '/refer/council')
    res = await client.get('/refer/council')
    assert.match(res.body, /Royal Borough of Kensington and Chelsea/)
    assert.match(res.body, /Westminster City Council/)
    assert.doesNotMatch(res.body, /Neither of these/)
    res = await client.post('/refer/council', { borough: 'outside' })
    assert.equal(res.statusCode, 400, 'outside is not a choice for SW7')
    res = await client.post('/refer/postcode', { postcode: 'M1 1AE' })
    res = await client.get('/refer/council')
    assert.match(res.body, /Neither of these/)
    res = await client.post('/refer/council', { borough: 'outside' })
    assert.equal(res.headers.location, '/refer/out-of-area')
  })

  test('the honeypot and a missing CSRF token are refused', async () => {
    const client = new TestClient(hub.app, '10.0.0.7')
    await walk(client, [])
    const bot = await client.post('/refer/who', { who: 'self', website: 'http://spam.example' })
    assert.equal(bot.statusCode, 400)
    const noToken = await client.post('/refer/who', { who: 'self' }, { csrf: false })
    assert.equal(noToken.statusCode, 403)
  })
})

describe('the /refer journey for someone else, through every kind of help', () => {
  let hub: TestHub
  before(async () => {
    hub = await testHub('sqlite')
  })
  after(() => hub.close())

  test('a partner referral with no fixed address and all five needs is sent, routed and acknowledged', async () => {
    const client = new TestClient(hub.app, '10.5.0.1')
    await walk(client, [
      ['who', { who: 'someone-else' }],
      [
        'referrer',
        {
          name: 'Pat Worker',
          organisation: 'St Mungo’s',
          role: 'Outreach worker',
          email: 'pat@example.org',
          phone: '',
          relationship: 'Outreach worker',
        },
      ],
      ['consent', { consent: 'yes' }],
      ['name', { name: 'محمد الأحمد' }],
      ['dob', { choice: 'range' }],
      ['age-range', { ageRange: '50-59' }],
      ['address', { hasAddress: 'no' }],
      ['council', { borough: 'wcc' }],
      ['contact', { methods: ['support-worker', 'library'] }],
      ['language', { language: 'Arabic', interpreter: 'yes' }],
      ['access', { accessNeeds: '' }],
      ['needs', { needs: ['device', 'connectivity', 'skills', 'home-library', 'other'] }],
      ['need-device', { deviceType: 'phone' }],
      ['need-connectivity', { option: 'sim' }],
      [
        'need-skills',
        { ways: ['drop-in', 'course'], goals: 'universal-credit', goalOther: 'Universal Credit journal' },
      ],
    ])
    // Not eligible for the Home Library Service: told why, and can go on without it.
    let res = await client.get('/refer/need-home-library')
    res = await client.post('/refer/need-home-library', { reason: 'none', interests: '' })
    assert.equal(res.headers.location, '/refer/home-library-not-eligible')
    res = await client.get('/refer/home-library-not-eligible')
    assert.match(res.body, /may not be right/)
    res = await client.post('/refer/home-library-not-eligible', {})
    assert.equal(res.headers.location, '/refer/need-other')
    await client.get('/refer/need-other')
    res = await client.post('/refer/need-other', { description: 'Help to fill in a housing form' })
    await client.get('/refer/reporting')
    res = await client.post('/refer/reporting', { homeless: 'yes' })
    assert.equal(res.headers.location, '/refer/check')
    const check = await client.get('/refer/check')
    assert.match(check.body, /the person agreed to be referred/)
    // Change an answer from the check page and come straight back.
    await client.get('/refer/language?change=1')
    res = await client.post('/refer/language?change=1', { language: 'Arabic', interpreter: 'no' })
    assert.equal(res.headers.location, '/refer/check')
    await client.get('/refer/check')
    res = await client.post('/refer/check', {})
    assert.equal(res.headers.location, '/refer/confirmation')
    const referral = await hub.database.db.selectFrom('referrals').selectAll().executeTakeFirstOrThrow()
    assert.equal(referral.source, 'partner-web')
    assert.equal(referral.referrer_json?.organisation, 'St Mungo’s')
    const needs = await hub.database.db.selectFrom('referral_needs').select(['kind', 'team_code']).execute()
    assert.deepEqual(needs.map((n) => `${n.kind}:${n.team_code}`).sort(), [
      'connectivity:wcc-devices',
      'device:wcc-devices',
      'other:wcc-triage',
      'skills:wcc-skills',
    ])
    // The referrer is acknowledged; the resident gave no safe channel for messages, so gets none.
    const messages = await hub.database.db.selectFrom('outbox').select(['recipient', 'template']).execute()
    assert.deepEqual(messages, [{ recipient: 'pat@example.org', template: 'referral-received-referrer' }])
  })
})

import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TestClient } from '#tests/support/client.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { createStaff, signedInClient } from '#tests/support/users.ts'
import { SELF, walk } from './testing.ts'

describe('staff triage pages', () => {
  let hub: TestHub
  let referralId: string
  let needId: string

  before(async () => {
    hub = await testHub('sqlite')
    const resident = new TestClient(hub.app, '10.1.0.1')
    await walk(resident, SELF)
    await resident.get('/refer/check')
    await resident.post('/refer/check', {})
    const row = await hub.database.db.selectFrom('referrals').select('id').executeTakeFirstOrThrow()
    referralId = row.id
    const need = await hub.database.db
      .selectFrom('referral_needs')
      .select('id')
      .where('kind', '=', 'device')
      .executeTakeFirstOrThrow()
    needId = need.id
  })
  after(() => hub.close())

  test("the queue lists the borough's referrals; the other borough's officer gets 404 for the case", async () => {
    const { client } = await signedInClient(hub, { roles: ['triage-officer'], boroughs: ['rbkc'] })
    const queue = await client.get('/staff/referrals')
    assert.equal(queue.statusCode, 200)
    assert.match(queue.body, /Zoë Ångström-O’Brien 🌻/)
    const page = await client.get(`/staff/referrals/${referralId}`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt; large print/)

    const { client: wcc } = await signedInClient(hub, { roles: ['triage-officer'], boroughs: ['wcc'] })
    assert.equal((await wcc.get(`/staff/referrals/${referralId}`)).statusCode, 404)
    assert.doesNotMatch((await wcc.get('/staff/referrals')).body, /Zoë/)
    const { client: both } = await signedInClient(hub, {
      roles: ['triage-officer'],
      boroughs: ['rbkc', 'wcc'],
    })
    assert.equal((await both.get(`/staff/referrals/${referralId}`)).statusCode, 200)
    const partner = await signedInClient(hub, { roles: ['partner-referrer'], boroughs: ['rbkc'] })
    assert.equal((await partner.client.get(`/staff/referrals/${referralId}`)).statusCode, 403)
  })

  test('search goes by POST and finds by name; personal data never goes in the URL', async () => {
    const { client } = await signedInClient(hub, { roles: ['triage-officer'], boroughs: ['rbkc'] })
    await client.get('/staff/referrals')
    const res = await client.post('/staff/referrals/search', { q: 'ångström' })
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /1 referral found/)
    const audited = await hub.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'referral.searched')
      .execute()
    assert.equal(audited.length, 1)
    assert.doesNotMatch(JSON.stringify(audited), /ngstr/i, 'the search term is not in the audit')
    const empty = await client.post('/staff/referrals/search', { q: '' })
    assert.equal(empty.statusCode, 400)
    assert.match(empty.body, /href="#q"/)
  })

  test('a refused transition re-renders the case with 400 and the reason; an allowed one redirects', async () => {
    const { client } = await signedInClient(hub, { roles: ['triage-officer'], boroughs: ['rbkc'] })
    await client.get(`/staff/referrals/${referralId}`)
    const refused = await client.post(`/staff/referrals/${referralId}/needs/${needId}`, { to: 'closed' })
    assert.equal(refused.statusCode, 400)
    assert.match(refused.body, /That change is not allowed from this state/)
    assert.match(refused.body, new RegExp(`href="#need-${needId}-to"`))
    const declineWithout = await client.post(`/staff/referrals/${referralId}/needs/${needId}`, {
      to: 'declined',
    })
    assert.equal(declineWithout.statusCode, 400)
    assert.match(declineWithout.body, /Enter why the request is declined/)
    const ok = await client.post(`/staff/referrals/${referralId}/needs/${needId}`, {
      to: 'in-triage',
      note: 'Rang, will try again',
    })
    assert.equal(ok.statusCode, 303)
    const page = await client.follow(ok)
    assert.match(page.body, /Request updated/)
    assert.match(page.body, /Rang, will try again/)
    const status = await hub.database.db
      .selectFrom('referral_needs')
      .select('status')
      .where('id', '=', needId)
      .executeTakeFirstOrThrow()
    assert.equal(status.status, 'in-triage')
  })

  test('the case page speaks English: answers in words, no empty answers, no FHIR, history names the request', async () => {
    const { client } = await signedInClient(hub, { roles: ['triage-officer'], boroughs: ['rbkc'] })
    await client.get(`/staff/referrals/${referralId}`)
    await client.post(`/staff/referrals/${referralId}/needs/${needId}`, { to: 'in-triage' })
    const page = await client.get(`/staff/referrals/${referralId}`)
    const text = page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
    for (const words of [
      'Device Tablet',
      'What they would like to do Use the NHS App, Video calls with family and friends',
      'How they would like to learn One-to-one with a digital helper',
      'Safe to Send a text message',
      'Contact by Phone, Email',
      'Aged 60 or over Yes',
      'Disabled Prefers not to say',
      'Device request moved from Submitted to In triage',
    ])
      assert.ok(text.includes(words), `the page says "${words}"`)
    for (const code of [
      'FHIR',
      'deviceType',
      'goalOther',
      'nhs-app',
      'video-calls',
      'prefer-not-to-say',
      'over60',
    ])
      assert.ok(!text.includes(code), `no "${code}" where staff read`)
    // The requests come before the full answers, which fold away.
    assert.ok(text.indexOf('Requests') < text.indexOf('All the answers given'))
    assert.match(
      page.body,
      /<details class="govuk-details"[^>]*>\s*<summary[^>]*>\s*<span[^>]*>\s*All the answers given/,
    )
  })

  test('contact attempts, notes and assignment are recorded; a viewer cannot change anything', async () => {
    const { client, user } = await signedInClient(hub, { roles: ['triage-officer'], boroughs: ['rbkc'] })
    await client.get(`/staff/referrals/${referralId}`)
    assert.equal(
      (
        await client.post(`/staff/referrals/${referralId}/contact`, {
          method: 'phone',
          result: 'no-answer',
          note: '',
        })
      ).statusCode,
      303,
    )
    assert.equal(
      (await client.post(`/staff/referrals/${referralId}/notes`, { note: 'Prefers mornings' })).statusCode,
      303,
    )
    assert.equal((await client.post(`/staff/referrals/${referralId}/assign`, { to: 'me' })).statusCode, 303)
    const row = await hub.database.db
      .selectFrom('referrals')
      .select('assigned_user_id')
      .where('id', '=', referralId)
      .executeTakeFirstOrThrow()
    assert.equal(row.assigned_user_id, user.id)
    const mine = await client.get('/staff/referrals?officer=me')
    assert.match(mine.body, /Zoë/)
    const { client: manager } = await signedInClient(hub, { roles: ['manager'], boroughs: ['rbkc'] })
    await manager.get(`/staff/referrals/${referralId}`)
    assert.equal((await manager.post(`/staff/referrals/${referralId}/notes`, { note: 'x' })).statusCode, 403)
  })

  test('a case form with a problem keeps what was typed, and the next view of the case shows it empty', async () => {
    const { client } = await signedInClient(hub, { roles: ['triage-officer'], boroughs: ['rbkc'] })
    await client.get(`/staff/referrals/${referralId}`)
    const contact = await client.post(`/staff/referrals/${referralId}/contact`, {
      method: '',
      result: '',
      note: 'Left a message with <Sam>',
    })
    assert.equal(contact.statusCode, 400)
    assert.match(contact.body, /There is a problem/)
    assert.match(
      contact.body,
      /<textarea[^>]*id="contact-note"[^>]*>Left a message with &lt;Sam&gt;<\/textarea>/,
    )
    assert.match(contact.body, /id="contact-method-error"/)
    const transfer = await client.post(`/staff/referrals/${referralId}/transfer`, {
      borough: '',
      reason: 'Moved to a hostel',
    })
    assert.equal(transfer.statusCode, 400)
    assert.match(transfer.body, /<textarea[^>]*id="transfer-reason"[^>]*>Moved to a hostel<\/textarea>/)
    // The fields' markup kept for a case without answers never carries what someone typed.
    const again = await client.get(`/staff/referrals/${referralId}`)
    assert.doesNotMatch(again.body, /Left a message|Moved to a hostel|-error"/)
    assert.match(again.body, /<textarea[^>]*id="contact-note"[^>]*><\/textarea>/)
  })

  test('states and outcomes show in words with coloured tags, on the case, the queue and its filters', async () => {
    const { client } = await signedInClient(hub, { roles: ['triage-officer'], boroughs: ['rbkc'] })
    await hub.database.db
      .updateTable('referral_needs')
      .set({ status: 'in-triage' })
      .where('id', '=', needId)
      .execute()
    const page = await client.get(`/staff/referrals/${referralId}`)
    assert.match(page.body, /<strong class="govuk-tag govuk-tag--teal">\s*In triage\s*<\/strong>/)
    assert.match(page.body, /<option value="could-not-contact">Could not contact<\/option>/)
    assert.match(page.body, /value="needs-information"[^>]*>\s*<label[^>]*>\s*Needs information/)
    const queue = await client.get('/staff/referrals')
    assert.match(queue.body, /<option value="in-triage">In triage<\/option>/)
    assert.match(queue.body, /<option value="home-library">Home Library Service<\/option>/)
    assert.match(queue.body, /govuk-tag--teal">\s*In triage/)
    // No code shows as text anywhere on these pages (codes stay in values and links).
    for (const html of [page.body, queue.body])
      assert.doesNotMatch(html, />\s*(in-triage|could-not-contact|needs-information|outcome-recorded)\s*</)
  })

  test('a case is given to an officer of its borough from a select; anyone else is refused with 400', async () => {
    const { client } = await signedInClient(hub, { roles: ['triage-officer'], boroughs: ['rbkc'] })
    const ana = await createStaff(hub, { roles: ['triage-officer'], boroughs: ['rbkc'], name: 'Ana Officer' })
    const wcc = await createStaff(hub, { roles: ['triage-officer'], boroughs: ['wcc'], name: 'Wes Officer' })
    const page = await client.get(`/staff/referrals/${referralId}`)
    assert.match(page.body, new RegExp(`<option value="${ana.id}"[^>]*>Ana Officer</option>`))
    assert.doesNotMatch(page.body, /Wes Officer/, "the other borough's officers are not offered")
    const ok = await client.post(`/staff/referrals/${referralId}/assign`, { to: ana.id })
    assert.equal(ok.statusCode, 303)
    const after = await client.follow(ok)
    assert.match(after.body, /Assignment saved/)
    assert.match(after.body, new RegExp(`<option value="${ana.id}" selected>Ana Officer</option>`))
    const row = () =>
      hub.database.db
        .selectFrom('referrals')
        .select(['assigned_user_id', 'assigned_name'])
        .where('id', '=', referralId)
        .executeTakeFirstOrThrow()
    assert.deepEqual(await row(), { assigned_user_id: ana.id, assigned_name: 'Ana Officer' })

    // Whatever the form sends: an officer outside the borough is refused, and the answer kept.
    const refused = await client.post(`/staff/referrals/${referralId}/assign`, { to: wcc.id })
    assert.equal(refused.statusCode, 400)
    assert.match(refused.body, /href="#assign-to"/)
    assert.match(refused.body, /Select an officer who triages referrals in this case’s borough/)
    assert.equal((await row()).assigned_user_id, ana.id)
    const empty = await client.post(`/staff/referrals/${referralId}/assign`, { to: '' })
    assert.equal(empty.statusCode, 400)
    assert.match(empty.body, /Select an officer/)

    // A manager assigns too, but cannot take the case themselves.
    const manager = await signedInClient(hub, { roles: ['manager'], boroughs: ['rbkc'] })
    const seen = await manager.client.get(`/staff/referrals/${referralId}`)
    assert.match(seen.body, /Assign to an officer/)
    assert.doesNotMatch(seen.body, /Assign to me/)
    assert.equal(
      (await manager.client.post(`/staff/referrals/${referralId}/assign`, { to: 'me' })).statusCode,
      400,
    )
    const byManager = await manager.client.post(`/staff/referrals/${referralId}/assign`, { to: 'none' })
    assert.equal(byManager.statusCode, 303)
    assert.equal((await row()).assigned_user_id, null)

    // The queue's officer filter offers officers by name.
    const queue = await client.get('/staff/referrals')
    assert.match(queue.body, new RegExp(`<option value="${ana.id}">Ana Officer</option>`))
    assert.doesNotMatch(queue.body, /Wes Officer/)
    const viewer = await signedInClient(hub, { roles: ['partner-referrer'], boroughs: ['rbkc'] })
    await viewer.client.get('/staff/my-referrals')
    assert.equal(
      (await viewer.client.post(`/staff/referrals/${referralId}/assign`, { to: ana.id })).statusCode,
      403,
    )
  })

  test('a form without its CSRF token is refused', async () => {
    const { client } = await signedInClient(hub, { roles: ['triage-officer'], boroughs: ['rbkc'] })
    const res = await client.post(`/staff/referrals/${referralId}/notes`, { note: 'x' }, { csrf: false })
    assert.equal(res.statusCode, 403)
  })

  test('every form of a page carries one token; a second view sets no new cookie; a lost cookie is made once', async () => {
    const { client } = await signedInClient(hub, { roles: ['triage-officer'], boroughs: ['rbkc'] })
    const tokens = (body: string) => [...body.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1])
    const first = await client.get(`/staff/referrals/${referralId}`)
    assert.ok(tokens(first.body).length > 3)
    assert.equal(new Set(tokens(first.body)).size, 1)
    const second = await client.get(`/staff/referrals/${referralId}`)
    assert.equal(second.headers['set-cookie'], undefined)
    assert.notEqual(tokens(second.body)[0], tokens(first.body)[0], 'each page has a fresh token')

    // A browser without its CSRF cookie gets one, and every form's token goes with it.
    const withoutCsrf = client.cookieHeader.replace(/(^|; )hub_csrf=[^;]*/, '')
    const page = await hub.app.inject({
      url: `/staff/referrals/${referralId}`,
      headers: { cookie: withoutCsrf },
    })
    const made = page.cookies.filter((c) => c.name === 'hub_csrf')
    assert.equal(made.length, 1)
    assert.equal(new Set(tokens(page.body)).size, 1)
    const posted = await hub.app.inject({
      method: 'POST',
      url: `/staff/referrals/${referralId}/notes`,
      headers: {
        cookie: `${withoutCsrf}; hub_csrf=${made[0]?.value}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({ note: 'Called back', _csrf: tokens(page.body)[0] ?? '' }).toString(),
    })
    assert.equal(posted.statusCode, 303)
  })
})

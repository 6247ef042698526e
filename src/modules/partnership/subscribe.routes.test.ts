import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { OutboxWorker } from '#platform/notify.ts'
import { TestClient } from '#tests/support/client.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import type { TestHub } from '#tests/support/hub.ts'
import { hubWithMail } from '#tests/support/mail-hub.ts'
import type { SmtpSink } from '#tests/support/smtp-sink.ts'
import { signedInClient } from '#tests/support/users.ts'

function errors(html: string): string[] {
  return [...html.matchAll(/<a href="#[^"]*">([^<]*)<\/a>/g)].map((m) => m[1] as string)
}

/** The first link in an email's text that starts with `prefix` (after the site's address). */
function linkIn(text: string, prefix: string): string {
  const url = new RegExp(`https?://[^\\s]+(${prefix}[^\\s]+)`).exec(text)?.[1]
  assert.ok(url, `no ${prefix} link in: ${text}`)
  return url
}

for (const dialect of DIALECTS) {
  describe(`mailing list sign-up and unsubscribe on ${dialect}, through the SMTP sink`, () => {
    let hub: TestHub
    let sink: SmtpSink
    let worker: OutboxWorker

    before(async () => {
      ;({ hub, sink, worker } = await hubWithMail(dialect))
    })
    after(async () => {
      await hub.close()
      await sink.stop()
    })

    async function mailTo(address: string) {
      await worker.runOnce(100)
      const mail = sink.messages.filter((m) => m.to.includes(address)).at(-1)
      assert.ok(mail, `no mail to ${address}`)
      return mail
    }

    async function signUp(client: TestClient, email: string, lists: string[]) {
      await client.get('/subscribe')
      return client.post('/subscribe', { email, lists })
    }

    test('a bad, throwaway or missing answer is refused with every answer kept, and nothing is saved', async () => {
      const client = new TestClient(hub.app)
      const cases: [string, string[], string[]][] = [
        ['', ['funding'], ['Enter your email address']],
        ['someone@', ['funding'], ['Enter an email address in the correct format, like name@example.com']],
        [
          'x@mailinator.com',
          ['funding'],
          ['Enter an email address you will keep: this one is from a temporary email service'],
        ],
        ['ok@example.org', [], ['Select at least one kind of email']],
      ]
      for (const [email, lists, expected] of cases) {
        const res = await signUp(client, email, lists)
        assert.equal(res.statusCode, 400)
        assert.deepEqual(errors(res.body), expected)
        if (email) assert.match(res.body, new RegExp(`value="${email.replace('.', '\\.')}"`))
        if (lists.length) assert.match(res.body, /value="funding" checked/)
      }
      assert.equal((await hub.database.db.selectFrom('mailing_subscribers').selectAll().execute()).length, 0)
    })

    test('double opt-in: nothing until the emailed link is confirmed; the consent kept; the link works once', async () => {
      const client = new TestClient(hub.app)
      const done = await signUp(client, ' Ana.Silva@Example.org ', ['partners-news', 'funding'])
      assert.equal(done.statusCode, 303)
      assert.match((await client.follow(done)).body, /Check your email/)
      const mail = await mailTo('ana.silva@example.org')
      assert.match(mail.text, /- Partners’ news\n- Funding/)
      const confirmPath = linkIn(mail.text, '/subscribe/confirm/')
      assert.equal(
        Number((await hub.partnership.mailing.counts()).find((c) => c.code === 'funding')?.subscribed),
        0,
      )

      // Opening the link (as a mail scanner does) changes nothing; the button confirms.
      const page = await client.get(confirmPath)
      assert.equal(page.statusCode, 200)
      assert.equal(
        Number((await hub.partnership.mailing.counts()).find((c) => c.code === 'funding')?.subscribed),
        0,
      )
      const confirmed = await client.post(confirmPath, {})
      assert.equal(confirmed.statusCode, 200)
      assert.match(confirmed.body, /You are subscribed/)
      const counts = await hub.partnership.mailing.counts()
      assert.equal(Number(counts.find((c) => c.code === 'funding')?.subscribed), 1)
      assert.equal(Number(counts.find((c) => c.code === 'training')?.subscribed), 0)

      const proof = await hub.database.db
        .selectFrom('mailing_signups')
        .innerJoin('mailing_wordings', 'mailing_wordings.id', 'mailing_signups.wording_id')
        .select(['signed_up_at', 'signed_up_ip', 'confirmed_at', 'confirmed_ip', 'wording'])
        .executeTakeFirstOrThrow()
      assert.equal(proof.signed_up_ip, '127.0.0.1')
      assert.equal(proof.confirmed_ip, '127.0.0.1')
      assert.ok(proof.confirmed_at && proof.confirmed_at >= proof.signed_up_at)
      assert.match(proof.wording, /^By continuing you agree that the digital inclusion partnership/)

      // Used twice: a clear page, and no second subscription.
      const again = await client.get(confirmPath)
      assert.equal(again.statusCode, 410)
      assert.match(again.body, /You have already confirmed/)
      assert.equal((await client.post(confirmPath, {}, { csrf: client.csrfToken })).statusCode, 410)
      assert.equal((await client.get('/subscribe/confirm/not-a-real-token')).statusCode, 404)
    })

    test('an expired confirmation link says so and subscribes no one', async () => {
      const client = new TestClient(hub.app)
      await signUp(client, 'late@example.org', ['training'])
      const path = linkIn((await mailTo('late@example.org')).text, '/subscribe/confirm/')
      await hub.database.db
        .updateTable('mailing_signups')
        .set({ expires_at: '2000-01-01T00:00:00.000Z' })
        .execute()
      const page = await client.get(path)
      assert.equal(page.statusCode, 410)
      assert.match(page.body, /This link has expired/)
      assert.match(page.body, /href="\/subscribe"/)
      assert.equal(
        Number((await hub.partnership.mailing.counts()).find((c) => c.code === 'training')?.subscribed),
        0,
      )
    })
    test('a bulletin carries RFC 8058 headers; one click unsubscribes at once, without sign-in or CSRF', async () => {
      const { client: lead } = await signedInClient(hub, { roles: ['partnership-lead'], boroughs: 'all' })
      await lead.get('/staff/partnership/bulletins/new')
      const made = await lead.post('/staff/partnership/bulletins/new', {
        title: 'Funding round opens',
        body: '## Funding\nApply at https://example.org/fund',
        list: 'funding',
      })
      assert.equal(made.statusCode, 303)
      const preview = await lead.follow(made)
      assert.match(preview.body, /1 subscriber\b/)
      const sent = await lead.post(`${made.headers.location}/send`, { audience: 'list' })
      assert.equal(sent.statusCode, 303)
      const mail = await mailTo('ana.silva@example.org')
      assert.equal(mail.headers.get('subject'), 'Funding round opens')
      assert.equal(mail.headers.get('list-unsubscribe-post'), 'List-Unsubscribe=One-Click')
      const oneClick = /^<https?:\/\/[^/]+(\/unsubscribe\/[^>]+\/one-click)>$/.exec(
        mail.headers.get('list-unsubscribe') ?? '',
      )?.[1]
      assert.ok(oneClick, mail.headers.get('list-unsubscribe'))
      const manage = linkIn(mail.text, '/subscriptions/')

      // A changed token is refused and changes nothing.
      const tampered = oneClick.replace('.funding.', '.training.')
      const refused = await hub.app.inject({
        method: 'POST',
        url: tampered,
        payload: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      assert.equal(refused.statusCode, 404)
      assert.match(refused.body, /This unsubscribe link does not work/)
      assert.equal(
        Number((await hub.partnership.mailing.counts()).find((c) => c.code === 'funding')?.subscribed),
        1,
      )

      // The mail program's POST, as RFC 8058 has it: multipart, no cookie, no token.
      const boundary = 'x-boundary'
      const res = await hub.app.inject({
        method: 'POST',
        url: oneClick,
        payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      })
      assert.equal(res.statusCode, 200)
      assert.equal(
        Number((await hub.partnership.mailing.counts()).find((c) => c.code === 'funding')?.subscribed),
        0,
      )
      const how = await hub.database.db
        .selectFrom('mailing_subscriptions')
        .select('unsubscribed_how')
        .where('status', '=', 'unsubscribed')
        .executeTakeFirstOrThrow()
      assert.equal(how.unsubscribed_how, 'one-click')

      // Anything but the RFC's field is refused.
      const wrong = await hub.app.inject({
        method: 'POST',
        url: oneClick,
        payload: 'List-Unsubscribe=Yes',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      assert.equal(wrong.statusCode, 400)

      // The manage link shows the lists; ticking one back subscribes again, with its own consent.
      const person = new TestClient(hub.app)
      const page = await person.get(manage)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /value="partners-news" checked/)
      assert.doesNotMatch(page.body, /value="funding" checked/)
      const saved = await person.post(manage, { lists: ['partners-news', 'funding'] })
      assert.equal(saved.statusCode, 303)
      assert.match((await person.follow(saved)).body, /Your choices are saved/)
      assert.equal(
        Number((await hub.partnership.mailing.counts()).find((c) => c.code === 'funding')?.subscribed),
        1,
      )
      assert.equal((await person.get(`${manage.slice(0, -2)}xx`)).statusCode, 404)
    })

    test('the unsubscribe link in the text asks first, then unsubscribes with its button', async () => {
      const bulletin = sink.messages.filter((m) => m.headers.get('subject') === 'Funding round opens').at(-1)
      assert.ok(bulletin)
      const path = linkIn(bulletin.text, '/unsubscribe/')
      const person = new TestClient(hub.app)
      const page = await person.get(path)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /Unsubscribe from Funding/)
      assert.equal(
        Number((await hub.partnership.mailing.counts()).find((c) => c.code === 'funding')?.subscribed),
        1,
      )
      assert.equal((await person.post(path, {}, { csrf: false })).statusCode, 403)
      const done = await person.post(path, {})
      assert.equal(done.statusCode, 200)
      assert.match(done.body, /You are unsubscribed/)
      assert.equal(
        Number((await hub.partnership.mailing.counts()).find((c) => c.code === 'funding')?.subscribed),
        0,
      )
      assert.equal((await person.get(path.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).statusCode, 404)
    })

    test('a sent bulletin has a public web version; a draft has none', async () => {
      const { client: lead } = await signedInClient(hub, { roles: ['partnership-lead'], boroughs: 'all' })
      const list = await lead.get('/staff/partnership/bulletins')
      const ids = [...list.body.matchAll(/href="\/staff\/partnership\/bulletins\/([0-9a-f-]{36})"/g)].map(
        (m) => m[1],
      )
      const web = await new TestClient(hub.app).get(`/bulletins/${ids[0]}`)
      assert.equal(web.statusCode, 200)
      assert.match(web.body, /<h2 class="govuk-heading-m">Funding<\/h2>/)
      assert.match(web.body, /<a class="govuk-link" href="https:\/\/example.org\/fund">/)
      await lead.get('/staff/partnership/bulletins/new')
      const draft = await lead.post('/staff/partnership/bulletins/new', {
        title: 'Draft',
        body: 'Not yet',
        list: 'funding',
      })
      const draftId = String(draft.headers.location).split('/').pop()
      assert.equal((await new TestClient(hub.app).get(`/bulletins/${draftId}`)).statusCode, 404)
      assert.equal((await new TestClient(hub.app).get('/bulletins/not-an-id')).statusCode, 404)
    })
  })
}

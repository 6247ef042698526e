import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { OutboxWorker, smtpTransport } from '#platform/notify.ts'
import { TestClient } from '#tests/support/client.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { type SmtpSink, startSmtpSink } from '#tests/support/smtp-sink.ts'

const quiet = { error() {}, warn() {} }

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
      hub = await testHub(dialect)
      sink = await startSmtpSink()
      worker = new OutboxWorker(
        hub.platform.outbox,
        smtpTransport(sink.url, 'Hub <news@hub.test>'),
        1000,
        quiet,
      )
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
  })
}

import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { TestClient } from '#tests/support/client.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { boroughId, signedInClient } from '#tests/support/users.ts'
import { CTX } from '../referrals/testing.ts'
import { SKILLS } from './skills.ts'
import { bookingAnswers, sessionsStaff } from './testing.ts'

const YEAR = new Date().getUTCFullYear() + 1

function errors(html: string): string[] {
  return [...html.matchAll(/<a href="#[^"]*">([^<]*)<\/a>/g)].map((m) => m[1] as string)
}

for (const dialect of DIALECTS) {
  describe(`skills check pages on ${dialect}`, () => {
    let hub: TestHub
    let staff: TestClient
    let dateId: string

    before(async () => {
      hub = await testHub(dialect)
      ;({ client: staff } = await signedInClient(hub, {
        roles: ['volunteer-coordinator'],
        boroughs: ['rbkc'],
      }))
      const rbkc = await boroughId(hub, 'rbkc')
      const manager = sessionsStaff([rbkc], ['sessions.view', 'sessions.manage', 'sessions.book'])
      const id = await hub.sessions.createSession(
        manager,
        {
          boroughId: rbkc,
          kind: 'drop-in',
          title: 'Phone clinic',
          description: '',
          venue: 'online',
          locationId: null,
          serviceCode: null,
          onlineLink: 'https://meet.example.org/clinic',
          language: 'English',
          whatToBring: null,
          capacity: 3,
          facilitators: [],
          rule: {
            start: `${YEAR}-01-05`,
            startTime: '10:00',
            endTime: '11:00',
            byDay: ['TU'],
            count: 1,
            exdates: [],
          },
        },
        CTX,
      )
      dateId = (await hub.sessions.staffSession(manager, id)).occurrences[0]?.id as string
      await hub.sessions.bookOnBehalf(
        manager,
        {
          occurrenceId: dateId,
          ...bookingAnswers('Pat Learner', { email: null, phone: '07700 900123', canEmail: false }),
          personId: null,
          needId: null,
        },
        CTX,
      )
    })
    after(() => hub.close())

    test('from the register: a skills check, refused incomplete with answers kept, then the progress page', async () => {
      const register = await staff.get(`/staff/sessions/dates/${dateId}`)
      const checkUrl = /href="(\/staff\/sessions\/bookings\/[^"]+\/skills)"/.exec(register.body)?.[1]
      assert.ok(checkUrl, 'the register links to the skills check')

      const page = await staff.get(checkUrl)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /Skills check: Pat Learner/)
      assert.match(page.body, /first skills check/)
      assert.match(page.body, /I can connect my device to a safe and secure Wi-Fi network/)
      assert.match(page.body, /Being safe and legal online/)
      assert.match(page.body, /spot suspicious emails, texts and links/)

      const some = { wifi: 'with-help', transacting: 'not-yet' }
      const refused = await staff.post(checkUrl, some)
      assert.equal(refused.statusCode, 400)
      assert.equal(errors(refused.body).length, SKILLS.length - 2)
      assert.equal(errors(refused.body)[0], 'Select how well they can do this')
      assert.match(refused.body, /value="with-help" checked/)

      const all = Object.fromEntries(SKILLS.map((s) => [s, 'with-help']))
      const saved = await staff.post(checkUrl, { ...all, wifi: 'not-yet' })
      assert.equal(saved.statusCode, 303, errors(saved.body).join('; '))
      const learnerUrl = saved.headers.location as string
      assert.match(learnerUrl, /^\/staff\/sessions\/learners\/[0-9a-f-]{36}\?saved=1$/)

      const followUp = await staff.post(checkUrl, { ...all, wifi: 'on-my-own' })
      assert.equal(followUp.statusCode, 303)
      const progress = await staff.follow(followUp)
      assert.equal(progress.statusCode, 200)
      assert.match(progress.body, /Skills check saved/)
      assert.match(progress.body, /Pat Learner/)
      assert.match(progress.body, /\(first\)/)
      assert.match(
        progress.body,
        /Skills gained since the first check\s*<\/dt>\s*<dd[^>]*>\s*I can connect my device to a safe and secure Wi-Fi network/,
      )

      const figures = await staff.get('/staff/sessions/figures')
      assert.match(figures.body, /Learners&#39; progress|Learners' progress/)
      assert.match(figures.body, /Skills gained\s*<\/dt>\s*<dd[^>]*>\s*1\s*</)
      // The same figures in the CSV export, after the sessions' table.
      const csv = await staff.get('/staff/sessions/figures.csv')
      assert.equal(csv.statusCode, 200)
      assert.match(
        csv.body,
        /\r\n\r\nBorough,From month,To month,Learners,Sessions attended by learners,Skills gained\r\n/,
      )
      assert.match(csv.body, /\r\nKensington and Chelsea,\d{4}-\d{2},\d{4}-\d{2},1,\d+,1\r\n/)
    })
  })
}

import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TestClient } from '#tests/support/client.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { createStaff, TEST_PASSWORD } from '#tests/support/users.ts'

/** The words of a page's main part, without markup. */
const text = (html: string) =>
  (html.match(/<main[\s\S]*<\/main>/)?.[0] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ')

describe('the pages a council must publish', () => {
  let hub: TestHub
  before(async () => {
    hub = await testHub('sqlite', { COOKIE_SECURE: 'true' })
  })
  after(() => hub.close())

  test('the privacy notice names the controllers, the DPO, each purpose with its lawful basis, sharing, keeping, rights and the ICO', async () => {
    const page = text((await new TestClient(hub.app).get('/privacy')).body)
    for (const needed of [
      /Royal Borough of Kensington and Chelsea/,
      /Westminster City Council/,
      /joint data controllers/,
      /Data Protection Officer at the council address/,
      /Public task \(UK GDPR Article 6\(1\)\(e\)\)/,
      /Article 9\(2\)\(g\)/,
      /Schedule 1, paragraph 8/,
      /Who we share it with/,
      /How long we keep it/,
      /3 years after the last request was closed/,
      /see the information we hold about you/,
      /object to how we use it/,
      /Information Commissioner’s Office/,
      /0303 123 1113/,
    ])
      assert.match(page, needed)
    // Every purpose comes with a basis.
    assert.equal(page.match(/Purpose /g)?.length, page.match(/Lawful basis /g)?.length)
  })

  test('the accessibility statement follows the GOV.UK model statement', async () => {
    const page = text((await new TestClient(hub.app).get('/accessibility')).body)
    const headings = [
      'How accessible this website is',
      'What to do if you need information in a different format',
      'Reporting accessibility problems with this website',
      'Enforcement procedure',
      'Technical information about this website’s accessibility',
      'Compliance status',
      'Non-accessible content',
      'Preparation of this accessibility statement',
    ]
    let at = 0
    for (const heading of headings) {
      const found = page.indexOf(heading, at)
      assert.ok(found > at, `"${heading}" in its place`)
      at = found
    }
    assert.match(page, /partially compliant with the Web Content Accessibility Guidelines version 2\.2 AA/)
    assert.match(page, /Equality Advisory and Support Service/)
    assert.match(page, /axe/)
  })

  test('the cookies page lists exactly the cookies the service sets', async () => {
    const set = new Set<string>()
    const collect = (res: { headers: Record<string, unknown> }) => {
      for (const c of [res.headers['set-cookie'] ?? []].flat()) set.add(String(c).split('=')[0] as string)
    }
    const resident = new TestClient(hub.app, '10.40.0.1')
    collect(await resident.get('/refer'))
    collect(await resident.post('/refer/start', {}))
    collect(await resident.get('/language?lang=en'))
    const user = await createStaff(hub, { roles: ['administrator'], boroughs: ['rbkc'] })
    const staff = new TestClient(hub.app, '10.40.0.2')
    collect(await staff.get('/staff/sign-in'))
    collect(await staff.post('/staff/sign-in', { email: user.email, password: TEST_PASSWORD }))
    const page = (await new TestClient(hub.app).get('/cookies')).body
    const listed = new Set([...page.matchAll(/<h3 [^>]*data-cookie>([^<]+)</g)].map((m) => m[1] as string))
    assert.deepEqual([...listed].sort(), [...set].sort())
  })
})

import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TestClient } from '#tests/support/client.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'
import { directoryRepository } from './directory.repository.ts'

/** Where each link of a page goes, in the order of the page. */
const links = (html: string) =>
  [...(html.match(/<main[\s\S]*<\/main>/)?.[0] ?? '').matchAll(/href="([^"#]+)"/g)].map((m) => m[1] as string)

describe('the public directory on first use', () => {
  let hub: TestHub
  const client = () => new TestClient(hub.app, '10.30.0.1')

  before(async () => {
    hub = await testHub('sqlite', { HELP_PHONE: '020 7946 0000' })
  })
  after(() => hub.close())

  test('the home page leads to asking online, checking a request, finding help, then phone and libraries', async () => {
    const home = await client().get('/')
    assert.equal(home.statusCode, 200)
    const order = links(home.body)
    assert.deepEqual(order.slice(0, 4), ['/refer', '/track', '/find-help', 'tel:02079460000'])
    assert.match(home.body, /govuk-button--start/)
    assert.match(home.body, /Go to any library and ask a member of staff/)
    assert.ok(
      order.slice(4).some((href) => href.startsWith('/find-help/places/')),
      'then the libraries',
    )
  })

  test('an outer London postcode is outside the two boroughs, and the borough search is offered', async () => {
    const res = await client().get('/find-help?postcode=N1+9GU')
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /N1 9GU is outside Kensington and Chelsea and Westminster/)
    assert.match(res.body, /href="#borough">Search by borough instead/)
    assert.doesNotMatch(res.body, /Enter a postcode in London/)
    // Not a postcode at all is still a mistake.
    assert.equal((await client().get('/find-help?postcode=hello')).statusCode, 400)
  })

  test('after a postcode search a service lists its places nearest first, and says how to book', async () => {
    const results = await client().get('/find-help?postcode=W9+2QT&need=skills-one-to-one')
    const link = results.body.match(/href="(\/find-help\/services\/[^"?]+\?near=W9)"/)?.[1]
    assert.ok(link, 'results link to the service with the postcode district only')
    const page = await client().get(link)
    assert.equal(page.statusCode, 200)
    const where = page.body.split('Where</h2>')[1] ?? ''
    const places = [...where.matchAll(/href="\/find-help\/places\/[^"]+">([^<]+)</g)].map((m) => m[1])
    assert.equal(places[0], 'Maida Vale Library')
    assert.match(where, /Maida Vale Library[\s\S]*?km away/)
    assert.match(page.body, /How to book/)
    assert.match(page.body, /Or ask at Maida Vale Library, Sutherland Avenue, W9 2QT/)
    // Without a postcode, the same page in the usual order.
    const plain = await client().get(link.split('?')[0] as string)
    assert.doesNotMatch(plain.body, /km away/)
  })

  test('a place page shows its opening times once', async () => {
    const home = await client().get('/')
    const place = home.body.match(/href="(\/find-help\/places\/[^"]+)"/)?.[1] as string
    const page = await client().get(place)
    assert.equal(page.body.match(/Opening times/g)?.length, 1)
  })

  test('a listing written in the Hub today is checked today, not "not checked recently"', async () => {
    const { client: editor } = await signedInClient(hub, { roles: ['directory-editor'], boroughs: ['rbkc'] })
    const org = await hub.database.db
      .selectFrom('organisations')
      .select('id')
      .where('code', '=', 'rbkc-libraries')
      .executeTakeFirstOrThrow()
    const terms = await directoryRepository.termsQuery(hub.database.db).execute()
    await editor.get('/staff/directory/services/new')
    const made = await editor.post('/staff/directory/services/new', {
      name: 'Tablet taster',
      description: 'Try a tablet with a volunteer.',
      organisation: org.id,
      borough: (
        await hub.database.db
          .selectFrom('boroughs')
          .select('id')
          .where('code', '=', 'rbkc')
          .executeTakeFirstOrThrow()
      ).id,
      how_to_get: 'drop-in',
      status: 'active',
      is_free: 'yes',
      cost: 'Free',
      needs: terms.find((t) => t.code === 'skills-drop-in')?.id as string,
    })
    assert.equal(made.statusCode, 303)
    const id = String(made.headers.location).split('/').pop()?.split('?')[0] as string
    const page = await client().get(`/find-help/services/${id}`)
    assert.match(page.body, /This page was checked on/)
    assert.doesNotMatch(page.body, /has not been checked recently/)
  })
})

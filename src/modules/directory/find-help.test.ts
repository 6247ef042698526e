import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TestClient } from '#tests/support/client.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { boroughId } from '#tests/support/users.ts'
import { directoryRepository } from './directory.repository.ts'
import { servicesRepository } from './services.repository.ts'
import { buildPlace, buildService } from './testing.ts'

/** The names of the services listed on a results page, in order. */
function resultNames(html: string): string[] {
  const list = html.split('class="govuk-list hub-results"')[1]?.split('</ol>')[0] ?? ''
  return [...list.matchAll(/href="\/find-help\/services\/[^"]+">([^<]+)</g)].map((m) => m[1] as string)
}

for (const dialect of DIALECTS) {
  describe(`/find-help on ${dialect}`, () => {
    let hub: TestHub
    const ids: Record<string, string> = {}

    before(async () => {
      hub = await testHub(dialect)
      const db = hub.database.db
      const org = await hub.directory.findOrCreatePartnerOrganisation(
        { name: 'Quill Community Trust', email: 'listings@quill.example' },
        { userId: null, actor: 'cli', ip: null, requestId: null },
      )
      const terms = await directoryRepository.termsQuery(db).execute()
      const term = (code: string) => terms.find((t) => t.code === code)?.id as string
      const wcc = await boroughId(hub, 'wcc')
      const rbkc = await boroughId(hub, 'rbkc')
      ids.loopPlace = await buildPlace(db, {
        organisationId: org.id,
        boroughId: wcc,
        name: 'Quill Hall',
        latitude: 51.4905,
        longitude: -0.1385, // Pimlico
        featureTermIds: [term('hearing-loop')],
        hours: [{ weekday: 4, opens_at: '10:00', closes_at: '15:00' }],
      })
      ids.farPlace = await buildPlace(db, {
        organisationId: org.id,
        boroughId: rbkc,
        name: 'Quill North',
        latitude: 51.5225,
        longitude: -0.2105, // Kensal
        hours: [{ weekday: 4, opens_at: '16:00', closes_at: '20:00' }],
      })
      ids.near = await buildService(db, {
        organisation_id: org.id,
        name: 'Quill tablet help',
        termIds: [term('skills-drop-in')],
        placeIds: [ids.loopPlace],
      })
      ids.far = await buildService(db, {
        organisation_id: org.id,
        name: 'Quill evening help',
        termIds: [term('skills-one-to-one')],
        placeIds: [ids.farPlace],
      })
      ids.devices = await buildService(db, {
        organisation_id: org.id,
        name: 'Quill laptops',
        termIds: [term('devices')],
      })
    })
    after(() => hub.close())

    async function search(qs: string) {
      const res = await hub.app.inject(`/find-help?${qs}`)
      return {
        status: res.statusCode,
        body: res.body,
        names: resultNames(res.body).filter((n) => n.startsWith('Quill')),
      }
    }

    test('the search page works with no search, without JavaScript: a plain GET form', async () => {
      const res = await hub.app.inject('/find-help')
      assert.equal(res.statusCode, 200)
      assert.match(res.body, /<form method="get" action="\/find-help"/)
      assert.match(res.body, /Find help to get online/)
    })

    test('by need: a parent need finds services of its narrower needs', async () => {
      assert.deepEqual((await search('need=skills')).names, ['Quill evening help', 'Quill tablet help'])
      assert.deepEqual((await search('need=skills-drop-in')).names, ['Quill tablet help'])
      assert.deepEqual((await search('need=devices')).names, ['Quill laptops'])
    })

    test('by postcode: nearest first, with the distance', async () => {
      const pimlico = await search('need=skills&postcode=SW1V+2PU')
      assert.deepEqual(pimlico.names, ['Quill tablet help', 'Quill evening help'])
      assert.match(pimlico.body, /Nearest: Quill Hall, 0\.\d km away/)
      assert.deepEqual((await search('need=skills&postcode=w10%204ne')).names, [
        'Quill evening help',
        'Quill tablet help',
      ])
    })

    test('by borough, by access feature, by day and time', async () => {
      assert.deepEqual((await search('need=skills&borough=rbkc')).names, ['Quill evening help'])
      assert.deepEqual((await search('need=skills&feature=hearing-loop')).names, ['Quill tablet help'])
      assert.deepEqual((await search('need=skills&day=4&time=11:00')).names, ['Quill tablet help'])
      assert.deepEqual((await search('need=skills&day=4&time=1730')).names, ['Quill evening help'])
      assert.deepEqual((await search('need=skills&day=5')).names, [])
      const none = await search('need=coding&day=7')
      assert.match(none.body, /0 services found/)
      assert.match(none.body, /We could not find a service/)
    })

    test('bad input: an unknown postcode or a time without a day is a 400 with the answers kept', async () => {
      const bad = await search('postcode=NOT+A+POSTCODE&need=skills')
      assert.equal(bad.status, 400)
      assert.match(bad.body, /govuk-error-summary/)
      assert.match(bad.body, /href="#postcode">Enter a postcode in London/)
      assert.match(bad.body, /value="NOT A POSTCODE"/)
      assert.match(bad.body, /<option value="skills" selected>/)
      const time = await search('time=10:00')
      assert.equal(time.status, 400)
      assert.match(time.body, /Choose a day as well as a time/)
      // values that can only come from an edited address are ignored, never a 500
      for (const qs of [
        'page=-1',
        'page=abc',
        'feature=nonsense&need=nonsense&borough=nowhere',
        'day=9',
        'need[]=x',
        'page=999999',
      ]) {
        const res = await search(qs)
        assert.equal(res.status, 200, qs)
      }
    })

    test('paging keeps the search and moves through the results', async () => {
      const wcc = await boroughId(hub, 'wcc')
      const org = await hub.directory.findOrganisation('Quill Community Trust')
      for (let i = 10; i < 35; i++)
        await buildService(hub.database.db, {
          organisation_id: org?.id as string,
          borough_id: wcc,
          name: `Quill page ${i}`,
        })
      const all = await hub.app.inject('/find-help?borough=wcc')
      assert.equal(all.statusCode, 200)
      const first = resultNames(all.body)
      assert.equal(first.length, 20)
      assert.match(all.body, /href="\/find-help\?borough=wcc&amp;page=2"/)
      const second = resultNames((await hub.app.inject('/find-help?borough=wcc&page=2')).body)
      assert.ok(second.length > 0)
      assert.ok(second.every((n) => !first.includes(n)))
    })

    test('a service page has how to get it, where and when; a place page its hours and features', async () => {
      const service = await hub.app.inject(`/find-help/services/${ids.near}`)
      assert.equal(service.statusCode, 200)
      assert.match(service.body, /Quill tablet help/)
      assert.match(service.body, /href="\/find-help\/places\/[^"]+">Quill Hall/)
      assert.match(service.body, /Whenever the place is open/)
      assert.match(service.body, /Report a problem with this page/)
      const place = await hub.app.inject(`/find-help/places/${ids.loopPlace}`)
      assert.equal(place.statusCode, 200)
      assert.match(place.body, /Thursday<\/th>\s*<td class="govuk-table__cell">\s*10:00 to 15:00/)
      assert.match(place.body, /Hearing loop/)
      assert.match(place.body, /Quill tablet help/)
      for (const url of [
        '/find-help/services/not-an-id',
        `/find-help/places/${ids.near}`,
        '/find-help/services/00000000-0000-7000-8000-000000000000',
      ]) {
        assert.equal((await hub.app.inject(url)).statusCode, 404, url)
      }
    })

    test('every library is listed, and the online library', async () => {
      const places = await hub.app.inject('/find-help/places')
      assert.equal(places.statusCode, 200)
      assert.equal((places.body.match(/href="\/find-help\/places\//g) ?? []).length, 17 + 2)
      const online = await hub.app.inject('/find-help/online')
      assert.match(online.body, /PressReader/)
      assert.match(online.body, /Sign in with your library card/)
    })

    test('the form marks what each search chose, its long lists kept for each choice', async () => {
      const form = async (qs: string) => (await search(qs)).body.split('<form')[1]?.split('</form>')[0] ?? ''
      const cases = [
        ['need=skills&feature=hearing-loop&day=4', 'skills', 'hearing-loop', '4'],
        ['need=devices&day=2', 'devices', null, '2'],
        ['need=skills&feature=hearing-loop&day=4&borough=rbkc', 'skills', 'hearing-loop', '4'],
        ['need=skills&day=4', 'skills', null, '4'],
      ] as const
      for (const round of [1, 2])
        for (const [qs, need, feature, day] of cases) {
          const html = await form(qs)
          const where = `${qs}, round ${round}`
          assert.deepEqual(
            [...html.matchAll(/<option value="([^"]*)" selected>/g)].map((m) => m[1]),
            [need, ...(qs.includes('borough=rbkc') ? ['rbkc'] : []), day],
            where,
          )
          const checked = [...html.matchAll(/name="feature" type="checkbox" value="([^"]+)" checked/g)]
          assert.deepEqual(
            checked.map((m) => m[1]),
            feature ? [feature] : [],
            where,
          )
          assert.equal(/<details class="govuk-details" open>/.test(html), Boolean(feature), where)
        }
    })

    test("a search reads the directory's counters once, and shows an edit on the next page", async () => {
      const versions = servicesRepository.versions
      let reads = 0
      servicesRepository.versions = (db) => {
        reads++
        return versions(db)
      }
      const { db } = hub.database
      const rename = (name: string) =>
        db
          .updateTable('services')
          .set({ name })
          .where('id', '=', ids.devices as string)
          .execute()
      try {
        assert.deepEqual((await search('need=devices')).names, ['Quill laptops'])
        assert.equal(reads, 1)
        await rename('Quill laptops and tablets')
        reads = 0
        assert.deepEqual((await search('need=devices')).names, ['Quill laptops and tablets'])
        assert.equal(reads, 1)
        reads = 0
        const page = await hub.app.inject(`/find-help/services/${ids.devices}`)
        assert.match(page.body, /Quill laptops and tablets/)
        assert.equal(reads, 1)
      } finally {
        servicesRepository.versions = versions
        await rename('Quill laptops')
      }
    })

    test('report a problem: CSRF and honeypot checked, saved, and the owner emailed through the outbox', async () => {
      const client = new TestClient(hub.app, '10.1.1.1')
      const url = `/find-help/services/${ids.near}/report`
      await client.get(url)
      assert.equal((await client.post(url, { details: 'Wrong day' }, { csrf: false })).statusCode, 403)
      assert.equal((await client.post(url, { details: 'Wrong day', website: 'http://spam' })).statusCode, 400)
      const empty = await client.post(url, { details: '   ' })
      assert.equal(empty.statusCode, 400)
      assert.match(empty.body, /href="#details">Enter what is wrong with the page/)
      const sent = await client.post(url, { details: 'The clinic moved to Friday' })
      assert.equal(sent.statusCode, 303)
      assert.match((await client.follow(sent)).body, /Thank you/)
      const mail = await hub.database.db
        .selectFrom('outbox')
        .selectAll()
        .where('template', '=', 'directory-problem-reported')
        .execute()
      assert.equal(mail.length, 1)
      assert.equal(mail[0]?.recipient, 'listings@quill.example')
      assert.equal(mail[0]?.personalisation_json.details, 'The clinic moved to Friday')
      const problems = await hub.database.db.selectFrom('directory_problems').selectAll().execute()
      assert.equal(problems.length, 1)
      assert.equal(problems[0]?.record_id, ids.near)
    })
  })
}

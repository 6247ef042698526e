import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { boroughId, signedInClient } from '#tests/support/users.ts'
import { directoryRepository } from './directory.repository.ts'

for (const dialect of DIALECTS) {
  describe(`directory editing on ${dialect}`, () => {
    let hub: TestHub
    let editor: Awaited<ReturnType<typeof signedInClient>>

    const audits = (recordId: string) =>
      hub.database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('record_id', '=', recordId)
        .orderBy('seq')
        .execute()
    const library = async (code: string) =>
      await hub.database.db
        .selectFrom('locations')
        .selectAll()
        .where('code', '=', code)
        .executeTakeFirstOrThrow()
    const termId = async (code: string) =>
      (
        await directoryRepository
          .termsQuery(hub.database.db)
          .where('taxonomy_terms.code', '=', code)
          .executeTakeFirstOrThrow()
      ).id

    before(async () => {
      hub = await testHub(dialect)
      editor = await signedInClient(hub, { roles: ['directory-editor'], boroughs: ['rbkc'] })
    })
    after(() => hub.close())

    test('reference data loads again without duplicating, and keeps what editors changed', async () => {
      const count = async (
        table: 'services' | 'locations' | 'taxonomy_terms' | 'opening_exceptions' | 'schedules',
      ) =>
        Number(
          (
            await hub.database.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        )
      const before = {
        services: await count('services'),
        locations: await count('locations'),
        terms: await count('taxonomy_terms'),
        exceptions: await count('opening_exceptions'),
        schedules: await count('schedules'),
      }
      assert.equal(before.locations, 17)
      assert.equal(before.services, 9)
      const kensal = await library('kensal')
      await hub.database.db
        .updateTable('locations')
        .set({ how_to_get_there: 'Bus 52' })
        .where('id', '=', kensal.id)
        .execute()
      await hub.loadReferenceData()
      await hub.loadReferenceData()
      assert.deepEqual(
        {
          services: await count('services'),
          locations: await count('locations'),
          terms: await count('taxonomy_terms'),
          exceptions: await count('opening_exceptions'),
          schedules: await count('schedules'),
        },
        before,
      )
      assert.equal((await library('kensal')).how_to_get_there, 'Bus 52')
    })

    test('people without the directory role cannot see the editors’ pages', async () => {
      const other = await signedInClient(hub, { roles: ['triage-officer'], boroughs: ['rbkc'] })
      assert.equal((await other.client.get('/staff/directory')).statusCode, 403)
      const anonymous = await hub.app.inject('/staff/directory')
      assert.equal(anonymous.statusCode, 303)
    })

    test('an editor adds a service; a wrong form comes back with 400, the summary and their answers', async () => {
      const { client } = editor
      const rbkc = await boroughId(hub, 'rbkc')
      const org = await hub.directory.findOrganisation('rbkc-libraries')
      const kensal = await library('kensal')
      await client.get('/staff/directory/services/new')
      const bad = await client.post('/staff/directory/services/new', {
        name: 'Tablet taster',
        description: '',
        organisation: org?.id as string,
        borough: rbkc,
        how_to_get: 'drop-in',
        status: 'active',
        minimum_age: '70',
        maximum_age: '12',
        url: 'not a web address',
        who_for: 'x'.repeat(501),
        open3: '14:00',
        close3: '13:00',
      })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /govuk-error-summary/)
      assert.match(bad.body, /href="#description">Enter a description of the service/)
      // A length error names its field, and the summary follows the order of the form's fields.
      assert.match(bad.body, /href="#who_for">Who it is for must be 500 characters or fewer/)
      const hrefs = [
        ...(bad.body.match(/govuk-error-summary__list">([\s\S]*?)<\/ul>/)?.[1] ?? '').matchAll(
          /href="#([^"]+)"/g,
        ),
      ]
      assert.deepEqual(
        hrefs.map((m) => m[1]),
        ['description', 'who_for', 'maximum_age', 'close3', 'url'],
      )
      assert.match(
        bad.body,
        /href="#maximum_age">Maximum age must be the same as or more than the minimum age/,
      )
      assert.match(bad.body, /href="#url">Enter a web address in the correct format/)
      assert.match(bad.body, /href="#close3">The closing time must be after the opening time/)
      assert.match(bad.body, /value="Tablet taster"/)
      const shared = await client.post('/staff/directory/services/new', {
        name: 'Tablet taster',
        description: 'Try a tablet.',
        organisation: org?.id as string,
        borough: '',
        how_to_get: 'drop-in',
        status: 'active',
      })
      assert.equal(shared.statusCode, 400)
      assert.match(shared.body, /Only someone who works in every borough can make a shared service/)
      const ok = await client.post('/staff/directory/services/new', {
        name: 'Tablet taster',
        description: 'Try a tablet with a volunteer.',
        organisation: org?.id as string,
        borough: rbkc,
        how_to_get: 'drop-in',
        status: 'active',
        is_free: 'yes',
        cost: 'Free',
        needs: await termId('skills-drop-in'),
        languages: ['en', 'ar'],
        places: kensal.id,
        open3: '14:00',
        close3: '16:00',
        checked: 'yes',
      })
      assert.equal(ok.statusCode, 303)
      const id = String(ok.headers.location).split('/').pop()?.split('?')[0] as string
      const service = await hub.directory.getService(id)
      assert.equal(service.name, 'Tablet taster')
      assert.deepEqual(service.languages.map((l) => l.code).sort(), ['ar', 'en'])
      assert.equal(service.places[0]?.place.id, kensal.id)
      assert.deepEqual(
        service.schedules.map((s) => [s.weekday, s.opens_at, s.closes_at]),
        [[3, '14:00', '16:00']],
      )
      assert.equal(service.assured_date, new Date().toISOString().slice(0, 10))
      const trail = await audits(id)
      assert.equal(trail[0]?.action, 'directory.service.created')
      assert.equal(trail[0]?.actor_user_id, editor.user.id)
      // ... and it is published at once
      const api = await hub.app.inject(`/api/openreferral/services/${id}`)
      assert.equal(api.json().name, 'Tablet taster')
    })

    test('an edit saves, is public at once, and the audit names the fields changed, not their values', async () => {
      const { client } = editor
      const clinic = await hub.database.db
        .selectFrom('services')
        .selectAll()
        .where('code', '=', 'it-clinic')
        .executeTakeFirstOrThrow()
      const page = await client.get(`/staff/directory/services/${clinic.id}`)
      assert.equal(page.statusCode, 200)
      const full = await hub.directory.getService(clinic.id)
      const form = {
        name: 'IT clinic',
        description: 'Drop in for help with phones, tablets and laptops.',
        organisation: full.organisation_id,
        borough: '',
        who_for: full.who_for ?? '',
        cost: 'Free',
        is_free: 'yes',
        how_to_get: 'drop-in',
        how_to_get_details: full.how_to_get_details ?? '',
        status: 'active',
        needs: full.terms.map((t) => t.id),
        languages: ['en'],
        places: full.places.map((p) => p.place.id),
      }
      // an RBKC editor may edit a shared service but not move it out of "shared"
      const saved = await client.post(`/staff/directory/services/${clinic.id}`, form)
      assert.equal(saved.statusCode, 400)
      assert.match(saved.body, /Only someone who works in every borough/)
      const admin = await signedInClient(hub, { roles: ['directory-editor'], boroughs: 'all' })
      await admin.client.get(`/staff/directory/services/${clinic.id}`)
      const ok = await admin.client.post(`/staff/directory/services/${clinic.id}`, form)
      assert.equal(ok.statusCode, 303)
      const after = await hub.directory.getService(clinic.id)
      assert.equal(after.description, 'Drop in for help with phones, tablets and laptops.')
      assert.equal(after.places.length, full.places.length)
      // the per-library clinic times were kept
      assert.equal(after.places.filter((p) => p.schedules.length).length, 6)
      const trail = await audits(clinic.id)
      const last = trail.at(-1)
      assert.equal(last?.action, 'directory.service.updated')
      assert.deepEqual(last?.fields_json, ['description'])
      assert.ok(!JSON.stringify(trail).includes('phones, tablets'))
    })

    test('an editor changes a service’s times at one of its places; they are public at once', async () => {
      const { client } = editor
      const club = await hub.database.db
        .selectFrom('services')
        .selectAll()
        .where('code', '=', 'code-club')
        .executeTakeFirstOrThrow()
      const paddington = await library('paddington')
      const path = `/staff/directory/services/${club.id}/places/${paddington.id}`
      const timesAt = async (placeId: string) =>
        (await hub.directory.getService(club.id)).places
          .find((p) => p.place.id === placeId)
          ?.schedules.map((s) => [s.weekday, s.opens_at, s.closes_at])
      const apiTimesAtPaddington = async () => {
        const api = (await hub.app.inject(`/api/openreferral/services/${club.id}`)).json()
        const salId = api.service_at_locations.find(
          (l: { location_id: string }) => l.location_id === paddington.id,
        ).id
        return api.schedules
          .filter((s: { service_at_location_id?: string }) => s.service_at_location_id === salId)
          .map((s: { byday: string; opens_at: string }) => `${s.byday} ${s.opens_at}`)
      }

      // the service's page lists its places with a link to each one's times
      const servicePage = await client.get(`/staff/directory/services/${club.id}`)
      assert.match(
        servicePage.body,
        new RegExp(`href="${path}">Change<span class="govuk-visually-hidden"> times at Paddington Library`),
      )
      const page = await client.get(path)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /<h1 class="govuk-heading-l">Times at Paddington Library<\/h1>/)
      assert.match(page.body, /name="open6" type="text" value="11:00"/)

      const bad = await client.post(path, { open6: '25:00', close6: '12:30', open2: '17:00' })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /govuk-error-summary/)
      assert.match(bad.body, /href="#open6">Enter the opening time as 24-hour HH:MM/)
      assert.match(bad.body, /href="#close2">Enter the closing time as 24-hour HH:MM/)
      assert.match(bad.body, /name="open6" type="text" value="25:00"/)
      assert.match(bad.body, /name="close6" type="text" value="12:30"/)
      assert.deepEqual(await timesAt(paddington.id), [[6, '11:00', '12:30']])

      const ok = await client.post(path, { open2: '17:00', close2: '18:00', open6: '10:30', close6: '12:30' })
      assert.equal(ok.statusCode, 303)
      const back = String(ok.headers.location)
      assert.equal(back, `/staff/directory/services/${club.id}?saved=times&at=${paddington.id}`)
      assert.match((await client.get(back)).body, /Times at Paddington Library saved/)
      assert.deepEqual(await timesAt(paddington.id), [
        [2, '17:00', '18:00'],
        [6, '10:30', '12:30'],
      ])
      assert.deepEqual(await timesAt((await library('kensington-central')).id), [[3, '16:00', '17:30']])
      const publicPage = await hub.app.inject(`/find-help/services/${club.id}`)
      assert.match(publicPage.body, /Tuesday 17:00 to 18:00; Saturday 10:30 to 12:30/)
      assert.deepEqual(await apiTimesAtPaddington(), ['TU 17:00:00', 'SA 10:30:00'])
      const last = (await audits(club.id)).at(-1)
      assert.equal(last?.action, 'directory.service.place-times-updated')
      assert.equal(last?.record_type, 'service')
      assert.equal(last?.actor_user_id, editor.user.id)
      assert.deepEqual(last?.fields_json, ['schedules'])
      // Not the times themselves (its own time of writing, `at`, may read 10:30 too).
      const { at: _written, ...recorded } = last ?? {}
      assert.ok(!JSON.stringify(recorded).includes('10:30'))

      // all empty: no times of its own there, so it runs whenever the place is open
      await client.get(path)
      assert.equal((await client.post(path, {})).statusCode, 303)
      assert.deepEqual(await timesAt(paddington.id), [])
      assert.deepEqual(await apiTimesAtPaddington(), [])
      assert.match(
        (await hub.app.inject(`/find-help/services/${club.id}`)).body,
        /Whenever the place is open/,
      )

      // a place it does not run at, a malformed place, an unknown service: not found
      const kensal = await library('kensal')
      const elsewhere = `/staff/directory/services/${club.id}/places/${kensal.id}`
      assert.equal((await client.get(elsewhere)).statusCode, 404)
      await client.get(path)
      assert.equal((await client.post(elsewhere, { open1: '10:00', close1: '11:00' })).statusCode, 404)
      assert.equal((await client.get(`/staff/directory/services/${club.id}/places/nope`)).statusCode, 404)
      assert.equal(
        (await client.get(`/staff/directory/services/${kensal.id}/places/${paddington.id}`)).statusCode,
        404,
      )
    })

    test('an editor changes a place’s hours, features and days closed; other boroughs’ places are not found', async () => {
      const { client } = editor
      const kensal = await library('kensal')
      await client.get(`/staff/directory/places/${kensal.id}`)
      const ok = await client.post(`/staff/directory/places/${kensal.id}`, {
        name: kensal.name,
        borough: kensal.borough_id,
        address_1: kensal.address_1,
        postcode: 'w10 5pf',
        latitude: String(kensal.latitude),
        longitude: String(kensal.longitude),
        features: [await termId('hearing-loop'), await termId('step-free')],
        public_computers: '8',
        open1: '09:00',
        close1: '17:00',
        checked: 'yes',
      })
      assert.equal(ok.statusCode, 303)
      const place = (await hub.directory.getPlace(kensal.id)).place
      assert.equal(place.postcode, 'W10 5PF')
      assert.equal(place.public_computers, 8)
      assert.deepEqual(place.features.map((f) => f.code).sort(), ['hearing-loop', 'step-free'])
      assert.deepEqual(
        place.hours.map((h) => [h.weekday, h.opens_at]),
        [[1, '09:00']],
      )
      // 'w10 5pf' is stored as W10 5PF, as before: not a change. The earlier test's 'Bus 52' was cleared.
      const last = (await audits(kensal.id)).at(-1)
      assert.deepEqual([...(last?.fields_json ?? [])].sort(), [
        'assured_date',
        'features',
        'hours',
        'how_to_get_there',
        'public_computers',
      ])

      const future = `${new Date().getUTCFullYear() + 1}-07-14`
      const bad = await client.post(`/staff/directory/places/${kensal.id}/exceptions`, {
        'date-day': '14',
        'date-month': '07',
        'date-year': '26',
        closed: 'no',
        reason: '',
      })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /href="#date-day">Enter the date as a real date, like 24 12 2026/)
      assert.match(bad.body, /name="date-month" type="text" value="07"/)
      assert.match(bad.body, /href="#opens_at">/)
      const added = await client.post(`/staff/directory/places/${kensal.id}/exceptions`, {
        'date-day': '14',
        'date-month': '7',
        'date-year': future.slice(0, 4),
        closed: 'no',
        opens_at: '12:00',
        closes_at: '16:00',
        reason: 'Staff training',
      })
      assert.equal(added.statusCode, 303)
      const exception = (await hub.directory.getPlace(kensal.id)).place.exceptions.find(
        (e) => e.date === future,
      )
      assert.equal(exception?.reason, 'Staff training')
      assert.equal(exception?.is_closed, false)
      const publicPage = await hub.app.inject(`/find-help/places/${kensal.id}`)
      assert.match(publicPage.body, /12:00 to 16:00: Staff training/)

      const pimlico = await library('pimlico')
      assert.equal((await client.get(`/staff/directory/places/${pimlico.id}`)).statusCode, 404)
      await client.get(`/staff/directory/places/${kensal.id}`)
      assert.equal(
        (await client.post(`/staff/directory/places/${pimlico.id}`, { name: 'x' })).statusCode,
        404,
      )
    })

    test('a form posted without its CSRF token is refused', async () => {
      const kensal = await library('kensal')
      const res = await editor.client.post(
        `/staff/directory/places/${kensal.id}`,
        { name: 'Hijacked' },
        { csrf: false },
      )
      assert.equal(res.statusCode, 403)
      assert.equal((await library('kensal')).name, 'Kensal Library')
    })
  })
}

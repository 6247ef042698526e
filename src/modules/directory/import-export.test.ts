import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { inflateRawSync } from 'node:zlib'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { boroughId, createStaff, signedInClient } from '#tests/support/users.ts'
import { directoryRepository } from './directory.repository.ts'
import { safeCell } from './export.ts'
import { NOT_PUBLIC } from './import-fetch.ts'
import { buildPlace, buildService } from './testing.ts'

/** Reads the entries of a zip through its central directory. */
function unzip(data: Buffer): Map<string, string> {
  const files = new Map<string, string>()
  const end = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  let at = data.readUInt32LE(end + 16)
  for (let i = 0; i < data.readUInt16LE(end + 10); i++) {
    const size = data.readUInt32LE(at + 20)
    const nameLength = data.readUInt16LE(at + 28)
    const name = data.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    const local = data.readUInt32LE(at + 42)
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28)
    files.set(name, inflateRawSync(data.subarray(start, start + size)).toString('utf8'))
    at += 46 + nameLength + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32)
  }
  return files
}

const cli = { userId: null, actor: 'cli', ip: null, requestId: null }
// The test feeds are served over http: on 127.0.0.1, which a Hub refuses unless told otherwise.
const LOCAL_FEEDS = { IMPORT_ALLOW_PRIVATE_HOSTS: 'true' }

describe('the feed an import reads', () => {
  // Another council's directory: a real Hub answering its Open Referral API on 127.0.0.1.
  let source: TestHub
  let feedUrl: string
  let withdrawnId: string
  const targets: TestHub[] = []

  before(async () => {
    source = await testHub('sqlite')
    const db = source.database.db
    const org = await source.directory.findOrCreatePartnerOrganisation(
      { name: 'Elsewhere Digital', email: 'hello@elsewhere.example' },
      cli,
    )
    const features = await directoryRepository.termsOfTaxonomy(db, 'hub-access-features')
    const loop = features.find((f) => f.code === 'hearing-loop')?.id as string
    const rbkc = await boroughId(source, 'rbkc')
    const hall = await buildPlace(db, {
      organisationId: org.id,
      boroughId: rbkc,
      name: 'Elsewhere Hall',
      latitude: 51.5,
      longitude: -0.2,
      featureTermIds: [loop],
    })
    await buildService(db, {
      organisation_id: org.id,
      name: 'Elsewhere tablet club',
      placeIds: [hall],
      schedule: [{ weekday: 2, opens_at: '10:00', closes_at: '12:00' }],
    })
    withdrawnId = await buildService(db, { organisation_id: org.id, name: 'Elsewhere phone help' })
    await source.app.listen({ port: 0, host: '127.0.0.1' })
    feedUrl = `http://127.0.0.1:${(source.app.server.address() as AddressInfo).port}/api/openreferral`
  })
  after(async () => {
    for (const t of targets) await t.close()
    await source.close()
  })

  for (const dialect of DIALECTS) {
    test(`import from a URL on ${dialect}: everything arrives once, a second import updates, a removed service is withdrawn`, async () => {
      const target = await testHub(dialect, LOCAL_FEEDS)
      targets.push(target)
      const { client } = await signedInClient(target, { roles: ['directory-editor'], boroughs: ['wcc'] })
      const feedSize = (await (await fetch(`${feedUrl}/services?per_page=1`)).json()).total_items as number
      assert.equal(feedSize, 11)

      await client.get('/staff/directory/import')
      const bad = await client.post('/staff/directory/import', { url: 'ftp://nowhere', borough: 'wcc' })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /href="#url">Enter the feed’s web address, starting with https:\/\//)
      const outside = await client.post('/staff/directory/import', { url: feedUrl, borough: 'rbkc' })
      assert.equal(outside.statusCode, 404)

      const first = await client.post('/staff/directory/import', { url: feedUrl, borough: 'wcc' })
      assert.equal(first.statusCode, 200, first.body.slice(0, 500))
      assert.match(first.body, /11 services added, 0 updated, 0 no longer in the feed/)
      const db = target.database.db
      const imported = () => db.selectFrom('services').selectAll().where('source', '=', feedUrl).execute()
      assert.equal((await imported()).length, 11)
      const tablet = (await imported()).find((s) => s.name === 'Elsewhere tablet club')
      const full = await target.directory.getService(tablet?.id as string)
      assert.equal(full.organisation.name, 'Elsewhere Digital')
      assert.equal(full.places[0]?.place.name, 'Elsewhere Hall')
      assert.deepEqual(
        full.places[0]?.place.features.map((f) => f.code),
        ['hearing-loop'],
      )
      assert.deepEqual(
        full.schedules.map((s) => [s.weekday, s.opens_at, s.closes_at]),
        [[2, '10:00', '12:00']],
      )
      assert.equal(full.borough_id, await boroughId(target, 'wcc'))
      // needs travel by the term's taxonomy and code, since each Hub made its own ids
      const clinic = (await imported()).find((s) => s.name === 'IT clinic')
      const clinicFull = await target.directory.getService(clinic?.id as string)
      assert.equal(clinicFull.places.length, 6)
      assert.deepEqual(clinicFull.terms.map((t) => t.code).sort(), ['skills', 'skills-drop-in'])

      await source.database.db
        .updateTable('services')
        .set({ status: 'defunct' })
        .where('id', '=', withdrawnId)
        .execute()
      await client.get('/staff/directory/import')
      const second = await client.post('/staff/directory/import', { url: feedUrl, borough: 'wcc' })
      assert.match(second.body, /0 services added, 10 updated, 1 no longer in the feed and made inactive/)
      assert.equal((await imported()).length, 11)
      assert.equal((await imported()).find((s) => s.name === 'Elsewhere phone help')?.status, 'inactive')
      const places = await db.selectFrom('locations').select('id').where('source', '=', feedUrl).execute()
      assert.equal(places.length, 17 + 1)
      const orgs = await db.selectFrom('organisations').select('id').where('source', '=', feedUrl).execute()
      assert.equal(orgs.length, 2)
      const audit = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'directory.imported')
        .execute()
      assert.equal(audit.length, 2)
      await source.database.db
        .updateTable('services')
        .set({ status: 'active' })
        .where('id', '=', withdrawnId)
        .execute()
    })
  }

  test('a feed that is down, not JSON or not Open Referral is a clear refusal', async () => {
    const server = http.createServer((req, res) => {
      if (req.url?.startsWith('/html/'))
        return res.writeHead(200, { 'content-type': 'text/html' }).end('<p>hello</p>')
      if (req.url?.startsWith('/other/'))
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}')
      res.writeHead(500).end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const target = await testHub('sqlite', LOCAL_FEEDS)
    targets.push(target)
    try {
      for (const [url, message] of [
        [`${base}/down`, /answered 500/],
        [`${base}/html`, /did not send JSON/],
        [`${base}/other`, /not an Open Referral page/],
        ['http://127.0.0.1:1/api', /could not read the feed/],
      ] as const) {
        const client = (await signedInClient(target, { roles: ['directory-editor'], boroughs: 'all' })).client
        await client.get('/staff/directory/import')
        const res = await client.post('/staff/directory/import', { url, borough: 'rbkc' })
        assert.equal(res.statusCode, 400, url)
        assert.match(res.body, message)
      }
    } finally {
      server.close()
    }
  })

  for (const dialect of DIALECTS) {
    test(`on ${dialect}, addresses inside the network and plain http: are refused on the page`, async () => {
      const target = await testHub(dialect)
      targets.push(target)
      const { client } = await signedInClient(target, { roles: ['directory-editor'], boroughs: ['wcc'] })
      const port = (source.app.server.address() as AddressInfo).port
      for (const [url, message] of [
        [`https://127.0.0.1:${port}/api/openreferral`, NOT_PUBLIC],
        [`https://localhost:${port}/api/openreferral`, NOT_PUBLIC],
        [`https://[::1]:${port}/api/openreferral`, NOT_PUBLIC],
        ['https://169.254.169.254/latest/meta-data', NOT_PUBLIC],
        ['https://10.0.0.1/api/openreferral', NOT_PUBLIC],
        [feedUrl, 'Enter the feed’s web address, starting with https://'],
      ] as const) {
        await client.get('/staff/directory/import')
        const res = await client.post('/staff/directory/import', { url, borough: 'wcc' })
        assert.equal(res.statusCode, 400, url)
        assert.ok(res.body.includes(`href="#url">${message}</a>`), url)
        assert.ok(res.body.includes(`value="${url}"`), `${url} is kept`)
      }
      const imports = target.database.db.selectFrom('audit_events').select('id')
      assert.equal((await imports.where('action', '=', 'directory.imported').execute()).length, 0)
    })
  }

  for (const dialect of DIALECTS) {
    test(`on ${dialect}, an editor of one borough can neither take over nor withdraw another's imported services`, async () => {
      const target = await testHub(dialect)
      targets.push(target)
      const page = await (await fetch(`${feedUrl}/services?per_page=3&full=true`)).json()
      const { directoryImporter } = await import('./import.ts')
      const importer = directoryImporter(target.platform, { allowPrivateHosts: false })
      const editor = async (borough: string) => {
        const staff = await createStaff(target, { roles: ['directory-editor'], boroughs: [borough] })
        return (await target.accounts.loadStaffUser(staff.id)) as NonNullable<
          Awaited<ReturnType<typeof target.accounts.loadStaffUser>>
        >
      }
      const [rbkcEditor, wccEditor] = [await editor('rbkc'), await editor('wcc')]
      const source = 'https://feeds.example.org/openreferral'
      const run = (user: typeof rbkcEditor, borough: string, services: unknown[]) =>
        importer.importServices(user, { source, services, borough }, cli)
      assert.deepEqual(await run(rbkcEditor, 'rbkc', page.contents), {
        added: 3,
        updated: 0,
        skipped: 0,
        withdrawn: 0,
      })
      const theirs = async () =>
        target.database.db
          .selectFrom('services')
          .select(['id', 'borough_id', 'status', 'name'])
          .where('source', '=', source)
          .where('borough_id', '=', await boroughId(target, 'rbkc'))
          .orderBy('id')
          .execute()
      const before = await theirs()
      // Takeover: the same feed into Westminster makes Westminster's own copies.
      assert.deepEqual(await run(wccEditor, 'wcc', page.contents), {
        added: 3,
        updated: 0,
        skipped: 0,
        withdrawn: 0,
      })
      assert.deepEqual(await theirs(), before)
      // Withdrawal: an empty feed from the same address withdraws Westminster's copies only.
      assert.equal((await run(wccEditor, 'wcc', [])).withdrawn, 3)
      assert.deepEqual(await theirs(), before)
      await assert.rejects(run(wccEditor, 'rbkc', []), { statusCode: 404 })
      assert.deepEqual(await theirs(), before)
    })
  }

  test('import from a file: a page of services, with bad entries skipped', async () => {
    const target = await testHub('sqlite')
    targets.push(target)
    const page = await (await fetch(`${feedUrl}/services?per_page=3&full=true`)).json()
    page.contents.push({ id: 'broken', name: '' }, { name: 'no id' })
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'feed-')), 'feed.json')
    fs.writeFileSync(file, JSON.stringify(page))
    const { directoryImporter } = await import('./import.ts')
    const importer = directoryImporter(target.platform, { allowPrivateHosts: false })
    const staff = await createStaff(target, { roles: ['directory-editor'], boroughs: 'all' })
    const user = await target.accounts.loadStaffUser(staff.id)
    const once = await importer.importFromFile(user as never, file, 'rbkc', cli)
    assert.deepEqual(once, { added: 3, updated: 0, skipped: 2, withdrawn: 0 })
    const again = await importer.importFromFile(user as never, file, 'rbkc', cli)
    assert.deepEqual(again, { added: 0, updated: 3, skipped: 2, withdrawn: 0 })
  })
})

for (const dialect of DIALECTS) {
  describe(`export on ${dialect}`, () => {
    let hub: TestHub
    before(async () => {
      hub = await testHub(dialect)
      const org = await hub.directory.findOrCreatePartnerOrganisation({ name: 'Formula Trust' }, cli)
      await buildService(hub.database.db, {
        organisation_id: org.id,
        name: '=HYPERLINK("http://evil")',
        phone: '+44 20 7361 3010',
      })
    })
    after(() => hub.close())

    test('the whole directory as an HSDS data package: datapackage.json and a CSV per resource', async () => {
      const { client } = await signedInClient(hub, { roles: ['directory-editor'], boroughs: 'all' })
      const res = await client.get('/staff/directory/export.zip')
      assert.equal(res.statusCode, 200)
      assert.equal(res.headers['content-type'], 'application/zip')
      const files = unzip(res.rawPayload)
      const pkg = JSON.parse(files.get('datapackage.json') as string)
      assert.equal(pkg.profile, 'tabular-data-package')
      for (const r of pkg.resources) {
        const csv = files.get(r.path) as string
        assert.ok(csv, `${r.path} is in the zip`)
        assert.equal(csv.split('\n')[0], r.schema.fields.map((f: { name: string }) => f.name).join(','))
      }
      const services = (files.get('services.csv') as string).trim().split('\n')
      assert.equal(services.length - 1, 10)
      assert.ok(
        services.some((l) => l.includes(`"'=HYPERLINK(""http://evil"")"`)),
        'formula guarded',
      )
      const locations = (files.get('locations.csv') as string).trim().split('\n')
      assert.equal(locations.length - 1, 17)
      assert.match(files.get('locations.csv') as string, /,-0\.\d+/)
      assert.match(files.get('taxonomy_terms.csv') as string, /hearing-loop/)
      const triage = await signedInClient(hub, { roles: ['triage-officer'], boroughs: 'all' })
      assert.equal((await triage.client.get('/staff/directory/export.zip')).statusCode, 403)
    })

    test('the data package says under what licence it may be reused, and who publishes it', async () => {
      const { client } = await signedInClient(hub, { roles: ['directory-editor'], boroughs: 'all' })
      const res = await client.get('/staff/directory/export.zip')
      const pkg = JSON.parse(unzip(res.rawPayload).get('datapackage.json') as string)
      assert.deepEqual(pkg.licenses, [
        {
          name: 'OGL-UK-3.0',
          path: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
          title: 'Open Government Licence v3.0',
        },
      ])
      assert.deepEqual(pkg.contributors, [
        { title: 'Kensington and Chelsea and Westminster Libraries', role: 'publisher' },
      ])
      assert.match(pkg.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'an RFC 3339 date-time')
    })

    test('cells a spreadsheet would run are guarded; numbers and phone numbers are not', () => {
      assert.equal(safeCell('=1+1'), "'=1+1")
      assert.equal(safeCell('@SUM(A1)'), "'@SUM(A1)")
      assert.equal(safeCell('-2+cmd|x'), "'-2+cmd|x")
      assert.equal(safeCell('+44 20 7361 3010'), '+44 20 7361 3010')
      assert.equal(safeCell(-0.19), -0.19)
      assert.equal(safeCell('IT clinic'), 'IT clinic')
    })
  })
}

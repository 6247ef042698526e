import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { seedDirectoryDemo } from './demo.ts'
import { normalisePostcode, postcodeCentroid } from './postcodes.ts'

const cli = { userId: null, actor: 'cli', ip: null, requestId: null }

describe('postcodes', () => {
  test('full postcodes and districts, any case and spacing; unknown or malformed ones are null', () => {
    assert.equal(normalisePostcode('w105pf'), 'W10 5PF')
    assert.equal(normalisePostcode(' sw1v  2pu '), 'SW1V 2PU')
    assert.equal(normalisePostcode('W1K'), 'W1K')
    assert.equal(normalisePostcode('not a postcode'), null)
    assert.deepEqual(postcodeCentroid('W1K 2PB'), { latitude: 51.51, longitude: -0.15 })
    // a sub-district we do not list falls back to its district
    assert.deepEqual(postcodeCentroid('W1X 1AA'), postcodeCentroid('W1'))
    assert.equal(postcodeCentroid('M1 1AA'), null)
  })
})

for (const dialect of DIALECTS) {
  describe(`directory service on ${dialect}`, () => {
    let hub: TestHub
    before(async () => {
      hub = await testHub(dialect)
    })
    after(() => hub.close())

    test('partner organisations are made once and found by id, code or name in any case', async () => {
      const made = await hub.directory.findOrCreatePartnerOrganisation(
        { name: 'Riverside Housing Team', email: 'team@riverside.example' },
        cli,
      )
      assert.equal(made.created, true)
      const again = await hub.directory.findOrCreatePartnerOrganisation(
        { name: '  riverside housing team ' },
        cli,
      )
      assert.equal(again.id, made.id)
      assert.equal(again.created, false)
      assert.equal((await hub.directory.findOrganisation(made.id))?.name, 'Riverside Housing Team')
      assert.equal((await hub.directory.findOrganisation('RIVERSIDE HOUSING TEAM'))?.id, made.id)
      assert.equal((await hub.directory.findOrganisation('wcc-libraries'))?.name, 'Westminster Libraries')
      assert.equal(await hub.directory.findOrganisation('No such team'), undefined)
      await assert.rejects(
        hub.directory.findOrCreatePartnerOrganisation({ name: '   ' }, cli),
        /Enter the organisation/,
      )
      await assert.rejects(
        hub.directory.findOrCreatePartnerOrganisation({ name: 'X', borough: 'nowhere' }, cli),
        /Choose a borough/,
      )
      const audit = await hub.database.db
        .selectFrom('audit_events')
        .select('action')
        .where('record_id', '=', made.id)
        .execute()
      assert.deepEqual(
        audit.map((a) => a.action),
        ['directory.organisation.created'],
      )
    })

    test('other modules report live capacity by service code; nonsense is refused', async () => {
      await hub.directory.reportCapacity({
        service: 'device-lending',
        unit: 'laptops',
        available: 4,
        maximum: 20,
      })
      await hub.directory.reportCapacity({
        service: 'device-lending',
        unit: 'laptops',
        available: 2,
        maximum: 20,
      })
      const id = (
        await hub.database.db
          .selectFrom('services')
          .select('id')
          .where('code', '=', 'device-lending')
          .executeTakeFirstOrThrow()
      ).id
      const service = await hub.directory.getService(id)
      assert.deepEqual(
        service.capacities.map((c) => [c.unit, c.available, c.maximum]),
        [['laptops', 2, 20]],
      )
      await assert.rejects(
        hub.directory.reportCapacity({ service: 'no-such-service', unit: 'x', available: 1 }),
        /No service/,
      )
      await assert.rejects(
        hub.directory.reportCapacity({ service: id, unit: 'x', available: -1 }),
        /0 or more/,
      )
      const page = await hub.app.inject(`/find-help/services/${id}`)
      assert.match(page.body, /2 of 20 laptops available/)
    })

    test('the demo partners are added once', async () => {
      await seedDirectoryDemo(hub.platform, hub.directory)
      await seedDirectoryDemo(hub.platform, hub.directory)
      const demo = await hub.database.db
        .selectFrom('organisations')
        .select('code')
        .where('code', 'like', 'demo-%')
        .execute()
      assert.equal(demo.length, 3)
      const services = await hub.database.db
        .selectFrom('services')
        .select('name')
        .where('code', 'like', 'demo-%')
        .execute()
      assert.equal(services.length, 2)
      const found = await hub.app.inject('/find-help?need=skills-courses&feature=hearing-loop')
      assert.match(found.body, /Computers for beginners/)
    })
  })
}

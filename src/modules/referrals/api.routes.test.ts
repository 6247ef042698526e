import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { sharingAgreed } from '../partnership/testing.ts'
import { referralBody } from './testing.ts'

const CTX = { userId: null, actor: 'cli', ip: null, requestId: null }

function apiBody(overrides: Parameters<typeof referralBody>[0] = {}) {
  const { onBehalf: _o, ...body } = referralBody(overrides)
  return body
}

describe('the partner API', () => {
  let hub: TestHub
  let keyA: string
  let keyB: string

  before(async () => {
    hub = await testHub('sqlite')
    const orgs = await hub.database.db.selectFrom('organisations').select(['id']).limit(2).execute()
    assert.equal(orgs.length, 2, 'reference data has organisations')
    keyA = await hub.accounts.createApiKey(orgs[0]?.id as string, CTX)
    keyB = await hub.accounts.createApiKey(orgs[1]?.id as string, CTX)
    for (const org of orgs) await sharingAgreed(hub.partnership, org.id)
  })
  after(() => hub.close())

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    hub.app.inject({
      method: 'POST',
      url: '/api/v1/referrals',
      payload: body as object,
      headers: { 'content-type': 'application/json', ...headers },
    })

  test('without a valid key: 401', async () => {
    assert.equal((await post(apiBody())).statusCode, 401)
    assert.equal((await post(apiBody(), { authorization: 'Bearer hub_nope_nope' })).statusCode, 401)
    const get = await hub.app.inject({ method: 'GET', url: '/api/v1/referrals/ABCD-EFGH' })
    assert.equal(get.statusCode, 401)
  })

  test('a valid referral: 201 with reference and status; the organisation can read its status and codes', async () => {
    const res = await post(apiBody(), { authorization: `Bearer ${keyA}` })
    assert.equal(res.statusCode, 201, res.body)
    const body = res.json() as { reference: string; status: string }
    assert.match(body.reference, /^[A-Z2-9]{4}-[A-Z2-9]{4}$/)
    assert.equal(body.status, 'submitted')
    const get = await hub.app.inject({
      method: 'GET',
      url: `/api/v1/referrals/${body.reference.toLowerCase()}`,
      headers: { authorization: `Bearer ${keyA}` },
    })
    assert.equal(get.statusCode, 200)
    const status = get.json() as Record<string, unknown>
    assert.deepEqual(Object.keys(status).sort(), ['needs', 'reference', 'status'])
    assert.deepEqual(status.needs, [
      { need: 'device', status: 'submitted', fhirTaskStatus: 'requested', outcome: null },
    ])
    assert.doesNotMatch(get.body, /Ana Test|07700/)
  })

  test('without a data-sharing agreement in force, a partner is told nothing: 403 with why', async () => {
    const org = await hub.directory.findOrCreatePartnerOrganisation({ name: 'Unagreed Partner' }, CTX)
    const key = await hub.accounts.createApiKey(org.id, CTX)
    const res = await post(apiBody(), { authorization: `Bearer ${key}` })
    const { reference } = res.json() as { reference: string }
    const get = await hub.app.inject({
      method: 'GET',
      url: `/api/v1/referrals/${reference}`,
      headers: { authorization: `Bearer ${key}` },
    })
    assert.equal(get.statusCode, 403)
    assert.match(get.body, /No data-sharing agreement in force/)
    assert.doesNotMatch(get.body, /submitted/)
  })

  test("a partner cannot read another partner's referral", async () => {
    const res = await post(apiBody(), { authorization: `Bearer ${keyA}` })
    const { reference } = res.json() as { reference: string }
    const other = await hub.app.inject({
      method: 'GET',
      url: `/api/v1/referrals/${reference}`,
      headers: { authorization: `Bearer ${keyB}` },
    })
    assert.equal(other.statusCode, 404)
  })

  test('field errors answer 400 with each field named, under the same rules as the form', async () => {
    const res = await post(
      apiBody({
        resident: { name: '', postcode: 'nonsense', phone: '123', contactMethods: ['phone'] },
        consent: false,
      }),
      { authorization: `Bearer ${keyA}` },
    )
    assert.equal(res.statusCode, 400)
    const { errors } = res.json() as { errors: { field: string; message: string }[] }
    const fields = errors.map((e) => e.field)
    for (const f of ['consent', 'resident.name', 'resident.postcode', 'resident.phone'])
      assert.ok(fields.includes(f), f)
    assert.ok(errors.some((e) => e.message === 'Enter a full UK postcode, like W8 4RT'))
    const hls = await post(apiBody({ needs: [{ kind: 'home-library', reason: 'none' }] }), {
      authorization: `Bearer ${keyA}`,
    })
    assert.equal(hls.statusCode, 400)
    assert.match(hls.body, /Home Library Service is for people who cannot get to a library/)
    const straddle = await post(apiBody({ resident: { postcode: 'SW7 2AZ' } }), {
      authorization: `Bearer ${keyA}`,
    })
    assert.equal(straddle.statusCode, 400)
    assert.match(straddle.body, /resident.borough/)
    const chosen = await post(apiBody({ resident: { postcode: 'SW7 2AZ', borough: 'wcc' } }), {
      authorization: `Bearer ${keyA}`,
    })
    assert.equal(chosen.statusCode, 201)
  })

  test('an Idempotency-Key makes a retried POST return the same referral, never a second one', async () => {
    const before = await hub.database.db.selectFrom('referrals').select('id').execute()
    const headers = { authorization: `Bearer ${keyA}`, 'idempotency-key': 'retry-abc-123' }
    const [a, b] = await Promise.all([post(apiBody(), headers), post(apiBody(), headers)])
    const c = await post(apiBody(), headers)
    assert.equal(a.statusCode, 201)
    assert.equal(b.statusCode, 201)
    assert.equal(c.statusCode, 201)
    assert.equal(c.headers['idempotent-replayed'], 'true')
    assert.equal(a.json().reference, b.json().reference)
    assert.equal(a.json().reference, c.json().reference)
    const afterRows = await hub.database.db.selectFrom('referrals').select('id').execute()
    assert.equal(afterRows.length, before.length + 1)
    const changed = await post(apiBody({ resident: { name: 'Someone Else' } }), headers)
    assert.equal(changed.statusCode, 422)
    // Another organisation's key with the same Idempotency-Key is a different request.
    const otherOrg = await post(apiBody(), {
      authorization: `Bearer ${keyB}`,
      'idempotency-key': 'retry-abc-123',
    })
    assert.equal(otherOrg.statusCode, 201)
    assert.notEqual(otherOrg.json().reference, a.json().reference)
  })

  test("the organisation comes from the key: none, an empty one or another's name in the body is the key's", async () => {
    const orgA = await hub.database.db
      .selectFrom('organisations')
      .select(['id', 'name'])
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow()
    const keyed = await hub.accounts.createApiKey(orgA.id, CTX)
    const { organisation: _omitted, ...noOrganisation } = apiBody().referrer
    for (const referrer of [noOrganisation, { ...noOrganisation, organisation: '' }]) {
      const res = await post(apiBody({ referrer }), { authorization: `Bearer ${keyed}` })
      assert.equal(res.statusCode, 201, res.body)
      const row = await hub.database.db
        .selectFrom('referrals')
        .selectAll()
        .where('reference', '=', res.json().reference.replace('-', ''))
        .executeTakeFirstOrThrow()
      assert.equal(row.referrer_organisation_id, orgA.id)
      assert.match(JSON.stringify(row), new RegExp(orgA.name.replace(/[^\w ]/g, '.')))
    }
  })

  test('a deeply nested body, with or without an Idempotency-Key, is a 400, not a 500', async () => {
    // Deep inside a part of the body the schema reads (unknown keys there are dropped, not refused).
    const valid = JSON.stringify(apiBody())
    const deep = valid.replace(
      '"referrer":{',
      `"referrer":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)},`,
    )
    for (const headers of [{}, { 'idempotency-key': 'deep-body-1' }]) {
      const res = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/referrals',
        payload: deep,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${keyA}`, ...headers },
      })
      assert.equal(res.statusCode, 400, res.body)
      assert.match(res.json().error, /.+/)
    }
  })

  test("a referral's status is JSON that no browser or proxy keeps", async () => {
    const made = await post(apiBody(), { authorization: `Bearer ${keyA}` })
    const get = await hub.app.inject({
      method: 'GET',
      url: `/api/v1/referrals/${made.json().reference}`,
      headers: { authorization: `Bearer ${keyA}` },
    })
    assert.equal(get.statusCode, 200)
    assert.equal(get.headers['cache-control'], 'no-store')
    assert.equal(made.headers['cache-control'], 'no-store')
  })

  test('the OpenAPI document describes both operations and the request body', async () => {
    const res = await hub.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
    assert.equal(res.statusCode, 200)
    const doc = res.json() as {
      openapi: string
      paths: Record<string, unknown>
      components: { schemas: Record<string, { properties?: object }> }
    }
    assert.equal(doc.openapi, '3.1.0')
    assert.ok(doc.paths['/api/v1/referrals'])
    assert.ok(doc.paths['/api/v1/referrals/{reference}'])
    assert.ok(Object.keys(doc.components.schemas.ReferralRequest?.properties ?? {}).includes('resident'))
  })
})

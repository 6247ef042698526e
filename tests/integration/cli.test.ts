import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import Database from 'better-sqlite3'
import { DIALECTS } from '#tests/support/databases.ts'
import { APP_ROOT, type TestHub, testHub } from '#tests/support/hub.ts'

/** Runs `npm run hub -- <args>` the way a person would (through tsx), on a database of its own. */
function hub(databaseUrl: string, args: string[], input?: string, extra: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: APP_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
      ...extra,
    },
    input: input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { code: result.status, out: result.stdout, err: result.stderr }
}

describe('the hub command', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-cli-'))
  const db = path.join(dir, 'hub.sqlite')

  test('migrate prepares an empty database', () => {
    const r = hub(db, ['migrate'])
    assert.equal(r.code, 0, r.err)
    const sqlite = new Database(db, { readonly: true })
    const boroughs = sqlite.prepare('select code from boroughs order by code').all()
    sqlite.close()
    assert.deepEqual(boroughs, [{ code: 'rbkc' }, { code: 'wcc' }])
  })

  test('create-user takes the password from standard input, checked against the rules', () => {
    const weak = hub(
      db,
      [
        'create-user',
        '--email',
        'a@hub.test',
        '--name',
        'Ada',
        '--role',
        'administrator',
        '--borough',
        'all',
        '--password-stdin',
      ],
      'password1234\n',
    )
    assert.equal(weak.code, 1)
    assert.match(weak.err, /common passwords/)
    const ok = hub(
      db,
      [
        'create-user',
        '--email',
        'a@hub.test',
        '--name',
        'Ada',
        '--role',
        'administrator',
        '--borough',
        'all',
        '--password-stdin',
      ],
      'a long passphrase of mine\n',
    )
    assert.equal(ok.code, 0, ok.err)
    assert.match(ok.out, /Created user [0-9a-f-]{36}/)
    assert.doesNotMatch(ok.out, /passphrase/)
  })

  test('create-user without a password prints a one-time link; unknown boroughs and roles are refused', () => {
    const link = hub(db, [
      'create-user',
      '--email',
      't@hub.test',
      '--name',
      'Tom',
      '--role',
      'triage-officer',
      '--borough',
      'rbkc,wcc',
    ])
    assert.equal(link.code, 0, link.err)
    assert.match(link.out, /\/staff\/invite\/\S+/)
    const borough = hub(db, [
      'create-user',
      '--email',
      'x@hub.test',
      '--name',
      'X',
      '--role',
      'manager',
      '--borough',
      'mars',
    ])
    assert.equal(borough.code, 1)
    assert.match(borough.err, /Unknown borough mars/)
    const role = hub(db, [
      'create-user',
      '--email',
      'y@hub.test',
      '--name',
      'Y',
      '--role',
      'wizard',
      '--borough',
      'rbkc',
    ])
    assert.equal(role.code, 1)
    assert.match(role.err, /Select a role from the list/)
  })

  test('create-api-key prints the key once and stores only its hash', () => {
    const r = hub(db, ['create-api-key', '--organisation', 'Westminster Libraries'])
    assert.equal(r.code, 0, r.err)
    const key = r.out.match(/hub_[0-9a-f]{8}_\S+/)?.[0]
    assert.ok(key)
    const sqlite = new Database(db, { readonly: true })
    const stored = JSON.stringify(sqlite.prepare('select * from api_keys').all())
    sqlite.close()
    assert.ok(!stored.includes(key), 'the key itself is not stored')
    assert.equal(hub(db, ['create-api-key', '--organisation', 'Nobody At All']).code, 1)
  })

  test('verify-audit passes on an intact chain and fails, exit 2, when a row is changed', () => {
    const ok = hub(db, ['verify-audit'])
    assert.equal(ok.code, 0, ok.err)
    assert.match(ok.out, /Audit chain intact: \d+ rows/)
    const sqlite = new Database(db)
    sqlite.prepare("update audit_events set action = 'nothing-to-see' where seq = 2").run()
    sqlite.close()
    const broken = hub(db, ['verify-audit'])
    assert.equal(broken.code, 2)
    assert.match(broken.err, /broken at row 2/)
  })

  test('verify-audit anchors the chain in a file, and a tail cut off later is caught against it', () => {
    const anchors = path.join(dir, 'audit-anchors.log')
    const env = { AUDIT_ANCHOR_FILE: anchors }
    const fresh = path.join(dir, 'anchored.sqlite')
    assert.equal(hub(fresh, ['migrate']).code, 0)
    assert.equal(hub(fresh, ['create-api-key', '--organisation', 'Westminster Libraries']).code, 0)
    assert.equal(hub(fresh, ['create-api-key', '--organisation', 'Westminster Libraries']).code, 0)
    const ok = hub(fresh, ['verify-audit'], undefined, env)
    assert.equal(ok.code, 0, ok.err)
    assert.match(ok.out, /"auditAnchor":\{"count":\d+,"head":"[0-9a-f]{64}"/, 'the anchor is in the log')
    assert.equal(fs.readFileSync(anchors, 'utf8').trim().split('\n').length, 1)
    const cut = new Database(fresh)
    const last = cut.prepare('select max(seq) as seq from audit_events').get() as { seq: number }
    const kept = cut.prepare('select hash from audit_events where seq = ?').get(last.seq - 1) as {
      hash: string
    }
    cut.prepare('delete from audit_events where seq = ?').run(last.seq)
    cut.prepare('update audit_head set seq = ?, hash = ?').run(last.seq - 1, kept.hash)
    cut.close()
    const broken = hub(fresh, ['verify-audit'], undefined, env)
    assert.equal(broken.code, 2)
    assert.match(broken.err, new RegExp(`broken at row ${last.seq} .*checked against the anchor`))
  })

  test('import-directory takes an Open Referral feed from a file, and importing it again updates it', () => {
    const feed = path.join(dir, 'feed.json')
    const service = {
      id: '6f1c1a52-8a7e-4f55-9a3b-0c2d3e4f5a6b',
      name: 'Get online at the Golborne Centre',
      description: 'Weekly drop-in help with phones, tablets and laptops.',
      status: 'active',
      organization: {
        id: '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d',
        name: 'Golborne Community Trust',
        description: 'A community centre.',
      },
    }
    fs.writeFileSync(feed, JSON.stringify({ contents: [service] }))
    const first = hub(db, ['import-directory', '--file', feed, '--borough', 'rbkc'])
    assert.equal(first.code, 0, first.err)
    assert.match(first.out, /"added":1/)
    const again = hub(db, ['import-directory', '--file', feed, '--borough', 'rbkc'])
    assert.match(again.out, /"added":0,"updated":1/)
    const sqlite = new Database(db, { readonly: true })
    const { n } = sqlite
      .prepare("select count(*) as n from services where name = 'Get online at the Golborne Centre'")
      .get() as { n: number }
    sqlite.close()
    assert.equal(n, 1)
  })

  test('an unknown command shows the usage', () => {
    const r = hub(db, ['make-tea'])
    assert.equal(r.code, 1)
    assert.match(r.err, /Usage: npm run hub/)
  })
})

for (const dialect of DIALECTS) {
  describe(`create-user --organisation on ${dialect}`, () => {
    let app: TestHub
    before(async () => {
      app = await testHub(dialect)
    })
    after(() => app.close())

    const createUser = (email: string, organisation: string) =>
      hub(app.platform.config.DATABASE_URL, [
        'create-user',
        '--email',
        email,
        '--name',
        'Pat Partner',
        '--role',
        'partner-referrer',
        '--borough',
        'rbkc',
        '--organisation',
        organisation,
      ])
    const account = (email: string) =>
      app.database.db
        .selectFrom('users')
        .select(['id', 'organisation_id'])
        .where('email', '=', email)
        .executeTakeFirst()

    test('links the account to the partner organisation found by id, code or name', async () => {
      const partner = await app.directory.findOrCreatePartnerOrganisation(
        { name: 'Riverside Housing Trust', code: 'riverside' },
        { userId: null, actor: 'test', ip: null, requestId: null },
      )
      for (const [email, organisation] of [
        ['by-name@hub.test', 'riverside housing trust'],
        ['by-code@hub.test', 'riverside'],
        ['by-id@hub.test', partner.id],
      ] as const) {
        const r = createUser(email, organisation)
        assert.equal(r.code, 0, r.err)
        assert.match(r.out, /Created user [0-9a-f-]{36} referring for Riverside Housing Trust/)
        assert.equal((await account(email))?.organisation_id, partner.id, email)
      }
    })

    test('an unknown or council organisation is refused, and no account is made', async () => {
      const unknown = createUser('nobody@hub.test', 'Nobody At All')
      assert.equal(unknown.code, 1)
      assert.match(unknown.err, /No organisation called Nobody At All/)
      assert.equal(await account('nobody@hub.test'), undefined)
      const council = createUser('council@hub.test', 'Westminster Libraries')
      assert.equal(council.code, 1)
      assert.match(council.err, /Westminster Libraries is not a partner organisation/)
      assert.equal(await account('council@hub.test'), undefined)
    })
  })
}

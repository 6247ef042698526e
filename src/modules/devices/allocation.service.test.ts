import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { after, before, describe, test } from 'node:test'
import { Forbidden, Invalid } from '#platform/errors.ts'
import { londonToday } from '#platform/london.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { referralBody } from '../referrals/testing.ts'
import { COORDINATOR, CTX, coordinator, laptop, WIPE } from './testing.ts'

const refused = (key: string) => (error: unknown) => error instanceof Invalid && error.message === key

/** Allocation and handover: from a referral, for the Home Library, and two staff or processes at once. */
for (const dialect of DIALECTS) {
  describe(`device allocation on ${dialect}`, () => {
    let hub: TestHub
    let rbkc: string
    let wcc: string
    let kensington: string
    let churchStreet: string
    let staff: ReturnType<typeof coordinator>

    before(async () => {
      hub = await testHub(dialect)
      const boroughs = await hub.accounts.listBoroughs()
      rbkc = boroughs.find((b) => b.code === 'rbkc')?.id as string
      wcc = boroughs.find((b) => b.code === 'wcc')?.id as string
      const libraries = await hub.directory.listLibraries()
      kensington = libraries.find((l) => l.code === 'kensington-central')?.id as string
      churchStreet = libraries.find((l) => l.code === 'church-street')?.id as string
      staff = coordinator([rbkc, wcc])
    })
    after(() => hub.close())

    /** A laptop taken in, wiped and ready at a library. */
    async function readyLaptop(library = kensington) {
      const id = await hub.devices.addDevice(staff, laptop(library), CTX)
      await hub.devices.recordWipe(staff, id, WIPE, CTX)
      await hub.devices.markReady(staff, id, CTX)
      return id
    }

    test('from a referral: the request moves on when the device is handed over', async () => {
      const { reference } = await hub.referrals.submit(
        referralBody(),
        { source: 'partner-web', privacyNoticeVersion: 'v1' },
        CTX,
      )
      const triage = coordinator('all', ['referrals.view', 'referrals.triage'])
      const referral = await hub.database.db
        .selectFrom('referrals')
        .select('id')
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow()
      const need = await hub.database.db
        .selectFrom('referral_needs')
        .selectAll()
        .where('referral_id', '=', referral.id)
        .executeTakeFirstOrThrow()
      for (const to of ['in-triage', 'routed'] as const)
        await hub.referrals.changeNeed(triage, { referralId: referral.id, needId: need.id, to }, CTX)
      await assert.rejects(
        hub.devices.allocate(
          staff,
          { deviceId: await readyLaptop(), kind: 'gift', recipient: { reference: 'ZZZZ-ZZZZ' } },
          CTX,
        ),
        refused('fulfil.referralUnknown'),
      )
      const id = await readyLaptop()
      await hub.devices.allocate(
        staff,
        {
          deviceId: id,
          kind: 'loan',
          dueOn: londonToday(),
          recipient: { reference: reference.toLowerCase() },
        },
        CTX,
      )
      const { open } = await hub.devices.getDevice(staff, id)
      assert.equal(open?.referral_need_id, need.id)
      assert.equal(open?.via, 'referral')
      await hub.devices.handOver(
        staff,
        { deviceId: id, agreedName: 'Ana Test', items: ['charger', 'sim'] },
        CTX,
      )
      const after = await hub.database.db
        .selectFrom('referral_needs')
        .select(['status', 'outcome'])
        .where('id', '=', need.id)
        .executeTakeFirstOrThrow()
      assert.deepEqual(after, { status: 'outcome-recorded', outcome: 'got-help' })
      // Moved through the referrals module's own seam: its history says the devices module moved it.
      const moved = await hub.database.db
        .selectFrom('referral_events')
        .select(['from_status', 'to_status', 'detail_json', 'note'])
        .where('need_id', '=', need.id)
        .where('to_status', '=', 'outcome-recorded')
        .executeTakeFirstOrThrow()
      assert.deepEqual(moved, {
        from_status: 'routed',
        to_status: 'outcome-recorded',
        detail_json: { by: 'devices' },
        note: 'Lent a device or SIM card',
      })
      // The request is closed now: it cannot be fulfilled twice.
      await assert.rejects(
        hub.devices.allocate(
          staff,
          { deviceId: await readyLaptop(), kind: 'gift', recipient: { reference } },
          CTX,
        ),
        refused('fulfil.referralNoRequest'),
      )
    })

    test('the stock page counts what is ready per library and type, and the loans overdue', async () => {
      const westminster = coordinator([wcc])
      const readyAt = async () =>
        (await hub.devices.readySummary(westminster)).find((r) => r.kind === 'laptop')?.n ?? 0
      const before = Number(await readyAt())
      const id = await readyLaptop(churchStreet)
      assert.equal(Number(await readyAt()), before + 1)
      assert.ok(
        (await hub.devices.readySummary(coordinator([rbkc]))).every((r) => r.library_id !== churchStreet),
      )
      const overdue = await hub.devices.overdueCount(westminster)
      const input = {
        deviceId: id,
        kind: 'loan' as const,
        dueOn: londonToday(),
        recipient: { personName: 'Due Today' },
      }
      await hub.devices.allocate(staff, input, CTX)
      await hub.devices.handOver(staff, { deviceId: id, agreedName: 'Due Today', items: [] }, CTX)
      assert.equal(await hub.devices.overdueCount(westminster), overdue, 'due today is not overdue yet')
      await hub.database.db
        .updateTable('device_allocations')
        .set({ due_on: '2026-01-01' })
        .where('device_id', '=', id)
        .execute()
      assert.equal(await hub.devices.overdueCount(westminster), overdue + 1)
      assert.equal(await hub.devices.overdueCount(coordinator([rbkc])), 0, 'not the other borough’s')
      assert.equal(await hub.devices.overdueCount(coordinator('all')), overdue + 1, 'every borough’s')
      // Set aside for a resident but never handed over: not a loan out, however late its date.
      const setAside = await readyLaptop(churchStreet)
      await hub.devices.allocate(staff, { ...input, deviceId: setAside }, CTX)
      await hub.database.db
        .updateTable('device_allocations')
        .set({ due_on: '2026-01-01' })
        .where('device_id', '=', setAside)
        .execute()
      assert.equal(await hub.devices.overdueCount(westminster), overdue + 1, 'not handed over')
    })

    test('the stock list and its figures are kept only until the stock changes, however it changes', async () => {
      const westminster = coordinator([wcc])
      const filter = { kind: 'laptop' as const, library: churchStreet, page: 1 }
      const listed = async (user = westminster) => {
        const page = await hub.devices.stockPage(user, filter)
        return { ...page, found: (id: string) => page.stock.rows.find((d) => d.id === id)?.status }
      }
      const before = await listed()
      const id = await readyLaptop(churchStreet)
      const after = await listed()
      assert.equal(after.found(id), 'ready')
      assert.equal(after.stock.total, before.stock.total + 1)
      assert.equal(
        await listed(coordinator([rbkc])).then((p) => p.stock.total),
        0,
        'not in the other borough’s list',
      )
      // By hand in SQL, as an administrator fixing a record might: the triggers move the version.
      await hub.database.db.updateTable('devices').set({ status: 'lost' }).where('id', '=', id).execute()
      const fixed = await listed()
      assert.equal(fixed.found(id), 'lost')
      const laptopsReady = (p: typeof fixed) =>
        p.ready
          .filter((r) => r.library_id === churchStreet && r.kind === 'laptop')
          .reduce((n, r) => n + Number(r.n), 0)
      assert.equal(laptopsReady(fixed), laptopsReady(after) - 1)
      // The libraries the page names are the directory's: a change there shows too.
      const name = fixed.libraries.find((l) => l.id === churchStreet)?.name as string
      await hub.database.db
        .updateTable('locations')
        .set({ name: `${name} (renamed)` })
        .where('id', '=', churchStreet)
        .execute()
      const renamed = await listed()
      assert.equal(renamed.libraries.find((l) => l.id === churchStreet)?.name, `${name} (renamed)`)
      assert.ok((await listed(coordinator([rbkc]))).libraries.every((l) => l.id !== churchStreet))
      await hub.database.db.updateTable('locations').set({ name }).where('id', '=', churchStreet).execute()
    })

    test('the Home Library Service lends a device in its own transaction', async () => {
      const id = await readyLaptop()
      const person = await hub.database.db.transaction().execute((tx) =>
        hub.people.create(
          tx,
          {
            boroughId: rbkc,
            fullName: 'Member One',
            dateOfBirth: null,
            ageRange: null,
            phone: null,
            email: null,
            postcode: null,
            preferredLanguage: null,
          },
          CTX,
        ),
      )
      const homeLibrary = coordinator([rbkc], ['devices.lend'])
      const input = {
        user: homeLibrary,
        ctx: CTX,
        personId: person,
        boroughId: rbkc,
        assetTag: (await hub.devices.getDevice(staff, id)).device.asset_tag.toLowerCase(),
        dueOn: londonToday(),
        agreedName: 'Member One',
        items: [],
      }
      await hub.database.db.transaction().execute((tx) => hub.devices.lend(input, tx))
      assert.equal((await hub.devices.getDevice(staff, id)).device.status, 'on-loan')
      await assert.rejects(hub.devices.lend(input), refused('devices.errors.notReady'))
      await assert.rejects(
        hub.devices.lend({ ...input, assetTag: 'DEV-NONE00' }),
        refused('devices.errors.assetTagUnknown'),
      )
      const elsewhere = await readyLaptop()
      const tag = (await hub.devices.getDevice(staff, elsewhere)).device.asset_tag
      await assert.rejects(
        hub.devices.lend({ ...input, assetTag: tag, boroughId: wcc }),
        refused('devices.errors.assetTagUnknown'),
      )
      await assert.rejects(
        hub.devices.lend({ ...input, user: coordinator([rbkc], ['devices.view']) }),
        Forbidden,
      )
    })

    test('two staff allocating one device at once: exactly one wins', async () => {
      for (let round = 0; round < 5; round++) {
        const id = await readyLaptop()
        const results = await Promise.allSettled(
          ['One', 'Two', 'Three'].map((n) =>
            hub.devices.allocate(
              coordinator([rbkc], COORDINATOR),
              { deviceId: id, kind: 'gift', recipient: { personName: `Person ${n}` } },
              CTX,
            ),
          ),
        )
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
        for (const r of results)
          if (r.status === 'rejected')
            assert.ok(refused('devices.errors.notReady')(r.reason), String(r.reason))
        const open = await hub.database.db
          .selectFrom('device_allocations')
          .select('id')
          .where('device_id', '=', id)
          .execute()
        assert.equal(open.length, 1)
      }
    })

    if (dialect === 'sqlite')
      test('two processes allocating one device at once on SQLite: exactly one wins', async () => {
        const id = await readyLaptop()
        const workers = ['Pat One', 'Pat Two'].map((name) =>
          spawn(
            process.execPath,
            ['--import', 'tsx', 'tests/support/devices-race-worker.ts', hub.database.url, id, rbkc, name],
            { stdio: ['pipe', 'pipe', 'inherit'] },
          ),
        )
        const lines = workers.map((w) => linesOf(w))
        await Promise.all(lines.map((l) => l.next()))
        for (const w of workers) w.stdin?.write('go\n')
        const outcomes = (await Promise.all(lines.map((l) => l.next()))).map((r) => String(r.value))
        assert.deepEqual(outcomes.sort(), ['refused devices.errors.notReady', 'won'])
        const rows = await hub.database.db
          .selectFrom('device_allocations')
          .select('id')
          .where('device_id', '=', id)
          .execute()
        assert.equal(rows.length, 1)
      })
  })
}

/** A child's stdout, line by line. */
async function* linesOf(child: ChildProcess): AsyncGenerator<string> {
  let buffer = ''
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    buffer += chunk.toString()
    let at = buffer.indexOf('\n')
    while (at >= 0) {
      yield buffer.slice(0, at)
      buffer = buffer.slice(at + 1)
      at = buffer.indexOf('\n')
    }
  }
}

import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Forbidden, Invalid, NotFound } from '#platform/errors.ts'
import { londonToday } from '#platform/london.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { sendDeviceReminders } from './reminders.ts'
import { anIccid, anImei, CTX, coordinator, laptop, WIPE } from './testing.ts'

const refused = (key: string) => (error: unknown) => error instanceof Invalid && error.message === key

for (const dialect of DIALECTS) {
  describe(`device service on ${dialect}`, () => {
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

    async function capacity(unit: string) {
      const rows = await hub.database.db
        .selectFrom('service_capacities')
        .selectAll()
        .where('unit', '=', unit)
        .execute()
      return rows[0]?.available
    }

    test('received, wiped, ready, lent, returned, wiped again: each move recorded; the wrong ones refused', async () => {
      const id = await hub.devices.addDevice(staff, laptop(kensington), CTX)
      let { device } = await hub.devices.getDevice(staff, id)
      assert.equal(device.status, 'received')
      assert.match(device.asset_tag, /^DEV-[A-Z2-9]{6}$/)
      await assert.rejects(hub.devices.markReady(staff, id, CTX), refused('devices.errors.noWipe'))
      await assert.rejects(
        hub.devices.allocate(staff, { deviceId: id, kind: 'gift', recipient: { personName: 'A B' } }, CTX),
        refused('devices.errors.notReady'),
      )
      await hub.devices.recordWipe(staff, id, WIPE, CTX)
      assert.equal((await hub.devices.getDevice(staff, id)).device.status, 'wiping')
      await hub.devices.markReady(staff, id, CTX)
      await assert.rejects(
        hub.devices.returnDevice(staff, { deviceId: id, items: [], condition: 'good' }, CTX),
        refused('devices.errors.notAllowed'),
        'a device that is not out cannot come back',
      )
      await assert.rejects(
        hub.devices.allocate(
          staff,
          { deviceId: id, kind: 'loan', dueOn: '2099-01-01', recipient: { personName: 'Rosa Parkes' } },
          CTX,
        ),
        refused('devices.errors.due-too-far'),
      )
      const due = londonToday()
      await hub.devices.allocate(
        staff,
        { deviceId: id, kind: 'loan', dueOn: due, recipient: { personName: 'Rosa Parkes' } },
        CTX,
      )
      await hub.devices.handOver(staff, { deviceId: id, agreedName: 'Rosa Parkes', items: ['charger'] }, CTX)
      const lent = await hub.devices.getDevice(staff, id)
      assert.equal(lent.device.status, 'on-loan')
      assert.equal(lent.open?.agreed_name, 'Rosa Parkes')
      assert.equal(lent.open?.witness_user_id, staff.id)
      assert.deepEqual(lent.open?.handover_items_json, ['charger'])
      assert.equal(lent.open?.agreement_version, '2026-12')
      await assert.rejects(hub.devices.markReady(staff, id, CTX), refused('devices.errors.notAllowed'))
      await hub.devices.returnDevice(staff, { deviceId: id, items: ['charger'], condition: 'fair' }, CTX)
      ;({ device } = await hub.devices.getDevice(staff, id))
      assert.equal(device.status, 'returned')
      assert.equal(device.condition, 'fair')
      // The wipe before the loan does not count for the next one.
      await hub.devices.sendToWipe(staff, id, CTX)
      await assert.rejects(hub.devices.markReady(staff, id, CTX), refused('devices.errors.noWipe'))
      await hub.devices.recordWipe(staff, id, { ...WIPE, certificateRef: 'BLC-2' }, CTX)
      await hub.devices.markReady(staff, id, CTX)
      const history = (await hub.devices.getDevice(staff, id)).history.map((e) => e.to_status).reverse()
      assert.deepEqual(history, [
        'received',
        'wiping',
        'ready',
        'allocated',
        'on-loan',
        'returned',
        'wiping',
        'ready',
      ])
    })

    test('figures count what was received, wiped, lent, given and returned, and the people helped', async () => {
      const figures = await hub.devices.figures(staff, '2026-01-01')
      const total = (k: 'received' | 'wiped' | 'lent' | 'gifted' | 'returned') =>
        figures.rows.reduce((n, r) => n + r[k], 0)
      assert.ok(total('received') >= 1)
      assert.ok(total('wiped') >= 2)
      assert.ok(total('lent') >= 1)
      assert.ok(total('returned') >= 1)
      assert.ok(figures.people >= 1)
      assert.match(figures.rows[0]?.month ?? '', /^\d{4}-\d{2}$/)
      assert.ok(figures.rows.every((r) => ['Kensington and Chelsea', 'Westminster'].includes(r.borough)))
    })

    test('staff, and the resident on the channels they said are safe, are reminded once of a loan nearly due and of a SIM card ending; handovers are followed up three weeks on', async () => {
      const lender = coordinator([rbkc])
      const email = `lender-${dialect}@example.org`
      const loan = await readyLaptop()
      await hub.devices.allocate(
        lender,
        {
          deviceId: loan,
          kind: 'loan',
          dueOn: londonToday(),
          recipient: { personName: 'Due Soon', phone: '07700 900461' },
        },
        CTX,
      )
      await hub.devices.handOver(
        lender,
        { deviceId: loan, agreedName: 'Due Soon', items: [], remindBy: ['text'] },
        CTX,
      )
      const sim = await hub.devices.addDevice(
        lender,
        laptop(kensington, {
          kind: 'sim',
          serial: '',
          identifier: anIccid(),
          network: 'Three',
          activatedOn: '2026-06-01',
          expiresOn: londonToday(),
        }),
        CTX,
      )
      await hub.devices.markReady(lender, sim, CTX)
      await hub.devices.allocate(
        lender,
        { deviceId: sim, kind: 'gift', recipient: { personName: 'Data Ending', phone: '07700 900462' } },
        CTX,
      )
      await hub.devices.handOver(lender, { deviceId: sim, agreedName: 'Data Ending', items: [] }, CTX)
      const lookups = {
        staffEmail: async (id: string) => (id === lender.id ? email : null),
        contact: (personId: string) => hub.people.contact(personId),
      }
      const sent = async (to: string) =>
        (
          await hub.database.db
            .selectFrom('outbox')
            .select(['template', 'channel', 'personalisation_json'])
            .where('recipient', '=', to)
            .execute()
        ).sort((a, b) => a.template.localeCompare(b.template))
      await sendDeviceReminders(hub.platform, lookups)
      assert.deepEqual(
        (await sent(email)).map((m) => m.template),
        ['devices-data-ending', 'devices-loan-due'],
      )
      // The borrower said texts are safe; the SIM card's resident chose no channel, so only staff hear.
      const [text, ...more] = await sent('07700 900461')
      assert.equal(text?.template, 'devices-loan-due-resident')
      assert.equal(text?.channel, 'sms')
      assert.equal((text?.personalisation_json as Record<string, string>).name, 'Due Soon')
      assert.equal(more.length, 0)
      assert.equal((await sent('07700 900462')).length, 0)
      await sendDeviceReminders(hub.platform, lookups)
      assert.equal((await sent(email)).length, 2, 'once each')
      assert.equal((await sent('07700 900461')).length, 1, 'once each')
      // A SIM card whose data ended more than the reminder's days ago is past news: not reminded.
      const monthAgo = londonToday(new Date(Date.now() - 30 * 86_400_000))
      await hub.database.db
        .updateTable('devices')
        .set({ expires_on: monthAgo })
        .where('id', '=', sim)
        .execute()
      await hub.database.db
        .updateTable('device_allocations')
        .set({ expiry_reminded_at: null })
        .where('device_id', '=', sim)
        .execute()
      await sendDeviceReminders(hub.platform, lookups)
      assert.equal((await sent(email)).length, 2, 'not reminded weeks after it ended')

      // Three weeks on (the clock moved): staff are asked to follow each handover up, once.
      const later = new Date(Date.now() + 21 * 86_400_000)
      await sendDeviceReminders(hub.platform, lookups, londonToday(later))
      await sendDeviceReminders(hub.platform, lookups, londonToday(later))
      const followUps = (await sent(email)).filter((m) => m.template === 'devices-follow-up')
      assert.equal(followUps.length, 2)

      // The answers: once per handover, counted in the figures without names.
      const before = (await hub.devices.figures(staff, '2026-01-01')).followUps
      await hub.devices.recordFollowUp(
        lender,
        loan,
        { usingIt: 'yes', uses: ['health', 'family-friends'] },
        CTX,
      )
      await assert.rejects(
        hub.devices.recordFollowUp(lender, loan, { usingIt: 'no', uses: [] }, CTX),
        refused('devices.errors.followedUp'),
      )
      await hub.devices.recordFollowUp(lender, sim, { usingIt: 'no', uses: ['leisure'] }, CTX)
      const after = (await hub.devices.figures(staff, '2026-01-01')).followUps
      assert.equal(after.asked, before.asked + 2)
      assert.equal(after.using.yes, (before.using.yes ?? 0) + 1)
      assert.equal(after.using.no, (before.using.no ?? 0) + 1)
      assert.equal(after.uses.health, (before.uses.health ?? 0) + 1)
      assert.equal(after.uses.leisure, before.uses.leisure, 'not using it: no uses counted')
      assert.equal((await hub.devices.getDevice(staff, loan)).followUp?.using_it, 'yes')
      const unused = await readyLaptop()
      await assert.rejects(
        hub.devices.recordFollowUp(lender, unused, { usingIt: 'yes', uses: [] }, CTX),
        refused('devices.errors.notHandedOver'),
      )
    })

    test('a gift passes to the resident: nothing left open, nothing more can happen to it', async () => {
      const id = await readyLaptop()
      await hub.devices.allocate(
        staff,
        { deviceId: id, kind: 'gift', recipient: { personName: 'Sam Lee' } },
        CTX,
      )
      await hub.devices.handOver(staff, { deviceId: id, agreedName: 'Sam Lee', items: [] }, CTX)
      const { device, open } = await hub.devices.getDevice(staff, id)
      assert.equal(device.status, 'gifted')
      assert.equal(open, null)
      await assert.rejects(hub.devices.markLost(staff, id, CTX), refused('devices.errors.notAllowed'))
      await assert.rejects(hub.devices.sendToWipe(staff, id, CTX), refused('devices.errors.notAllowed'))
    })

    test('bad input: check digits, a duplicate serial, a past due date; nothing half-saved', async () => {
      const before = (await hub.devices.stock(staff, { page: 1 })).total
      await assert.rejects(
        hub.devices.addDevice(
          staff,
          laptop(kensington, { kind: 'phone', identifier: '490154203237517' }),
          CTX,
        ),
        refused('devices.errors.imeiCheck'),
      )
      await assert.rejects(
        hub.devices.addDevice(
          staff,
          laptop(kensington, { kind: 'sim', identifier: '8944110000000001230' }),
          CTX,
        ),
        refused('devices.errors.iccidCheck'),
      )
      await assert.rejects(
        hub.devices.addDevice(staff, laptop(kensington, { kind: 'phone' }), CTX),
        refused('devices.errors.imeiMissing'),
      )
      const phone = await hub.devices.addDevice(
        staff,
        laptop(kensington, { kind: 'phone', identifier: anImei(), serial: 'DUP-1' }),
        CTX,
      )
      assert.ok(phone)
      await assert.rejects(
        hub.devices.addDevice(staff, laptop(kensington, { serial: 'DUP-1' }), CTX),
        refused('devices.errors.serialTaken'),
      )
      assert.equal((await hub.devices.stock(staff, { page: 1 })).total, before + 1)
      const id = await readyLaptop()
      await assert.rejects(
        hub.devices.allocate(
          staff,
          { deviceId: id, kind: 'loan', dueOn: '2020-01-01', recipient: { personName: 'Ann Other' } },
          CTX,
        ),
        refused('devices.errors.due-past'),
      )
      assert.equal((await hub.devices.getDevice(staff, id)).device.status, 'ready')
    })

    test('stock is published to the directory in the same transaction as the change', async () => {
      const unit = 'laptops at Church Street Library'
      const start = (await capacity(unit)) ?? 0
      const a = await readyLaptop(churchStreet)
      await readyLaptop(churchStreet)
      assert.equal(await capacity(unit), start + 2)
      await hub.devices.allocate(
        staff,
        { deviceId: a, kind: 'gift', recipient: { personName: 'Kim Moss' } },
        CTX,
      )
      assert.equal(await capacity(unit), start + 1)
      await hub.devices.cancelAllocation(staff, a, CTX)
      assert.equal(await capacity(unit), start + 2)
    })

    test('a SIM card: ready without a wipe; its voucher code only for device roles, and each look audited', async () => {
      const id = await hub.devices.addDevice(
        staff,
        laptop(kensington, {
          kind: 'sim',
          makeModel: 'National Databank SIM',
          serial: '',
          identifier: anIccid(),
          source: 'national-scheme',
          network: 'Vodafone',
          allowance: '20GB a month',
          activatedOn: '2026-12-01',
          expiresOn: '2027-06-01',
          voucherCode: 'VOUCH-1234',
        }),
        CTX,
      )
      await hub.devices.markReady(staff, id, CTX)
      const shown = await hub.devices.getDevice(staff, id)
      assert.equal(shown.device.has_voucher, true)
      assert.equal(JSON.stringify(shown).includes('VOUCH-1234'), false)
      const manager = coordinator([rbkc], ['devices.view'])
      await assert.rejects(hub.devices.revealVoucher(manager, id, CTX), Forbidden)
      assert.equal(await hub.devices.revealVoucher(staff, id, { ...CTX, userId: staff.id }), 'VOUCH-1234')
      const audit = await hub.database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'device.voucher-viewed')
        .where('record_id', '=', id)
        .execute()
      assert.equal(audit.length, 1)
    })

    test('another borough’s devices do not exist for you', async () => {
      const id = await readyLaptop(churchStreet)
      const rbkcOnly = coordinator([rbkc])
      await assert.rejects(hub.devices.getDevice(rbkcOnly, id), NotFound)
      await assert.rejects(
        hub.devices.allocate(rbkcOnly, { deviceId: id, kind: 'gift', recipient: { personName: 'X Y' } }, CTX),
        NotFound,
      )
      const listed = await hub.devices.stock(rbkcOnly, { page: 1, text: undefined })
      assert.ok(listed.rows.every((d) => d.borough_id === rbkc))
      await assert.rejects(
        hub.devices.addDevice(rbkcOnly, laptop(churchStreet), CTX),
        refused('devices.errors.library'),
      )
    })
  })
}

import type { StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { londonToday } from '#platform/london.ts'
import type { Platform } from '#platform/platform.ts'
import { deviceRepository as repo } from './device.repository.ts'
import type { DeviceService } from './device.service.ts'
import { type DeviceKind, luhnCheckDigit } from './device.ts'

const WIPE = {
  method: 'Purge',
  standard: 'NIST SP 800-88 Rev. 1',
  tool: 'Blancco Drive Eraser 7',
  wipedBy: 'Demo technician',
  certificateRef: 'DEMO-WIPE',
}

const withCheckDigit = (partial: string) => `${partial}${luhnCheckDigit(partial)}`

/** The library each borough's demo stock is kept at. */
const DEMO_LIBRARY: Record<string, string> = { rbkc: 'kensington-central', wcc: 'church-street' }

function daysFrom(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/**
 * Fictional stock in both boroughs: a donation, devices in every state, loans (one overdue) and gifts, and
 * SIM cards whose data is about to end. Running it again adds nothing.
 */
export async function seedDemoDevices(platform: Platform, devices: DeviceService): Promise<void> {
  const { db } = platform.database
  const system: StaffUser = {
    id: '00000000-0000-7000-8000-000000000000',
    name: 'Demo data',
    email: 'demo@hub.invalid',
    roles: [],
    permissions: new Set(['devices.view', 'devices.manage']),
    boroughs: 'all',
  }
  const ctx: AuditContext = { userId: null, actor: 'cli', ip: null, requestId: null }
  const today = londonToday()
  const libraries = await devices.librariesInScope(system)
  for (const [n, code] of ['rbkc', 'wcc'].entries()) {
    if (await repo.findBySerial(db, `DEMO-${code}-01`)) continue
    const library = libraries.find((l) => l.code === DEMO_LIBRARY[code])
    if (!library) continue
    const donation = await devices.recordDonation(
      system,
      {
        library: library.id,
        donorKind: 'organisation',
        donorName: code === 'rbkc' ? 'Portobello Rotary Club' : 'Marylebone Tech Recyclers',
        donorEmail: '',
        receivedOn: daysFrom(today, -60),
        description: '8 laptops and tablets with chargers',
      },
      ctx,
    )
    let count = 0
    const add = async (kind: DeviceKind, makeModel: string, extra: Record<string, string> = {}) => {
      count++
      const serial = `DEMO-${code}-${String(count).padStart(2, '0')}`
      const digits = `${n}${String(count).padStart(2, '0')}`
      const identifier =
        kind === 'sim'
          ? withCheckDigit(`894410000000000${digits}`)
          : kind === 'phone'
            ? withCheckDigit(`35209900000${digits}`)
            : ''
      return devices.addDevice(
        system,
        {
          kind,
          makeModel,
          serial: kind === 'sim' ? '' : serial,
          identifier,
          source: kind === 'sim' ? 'national-scheme' : 'donated',
          donation: kind === 'sim' ? '' : donation,
          condition: 'good',
          library: library.id,
          network: '',
          allowance: '',
          activatedOn: '',
          expiresOn: '',
          voucherCode: '',
          ...extra,
        },
        ctx,
      )
    }
    const ready = async (kind: DeviceKind, makeModel: string, extra?: Record<string, string>) => {
      const id = await add(kind, makeModel, extra)
      if (kind !== 'sim')
        await devices.recordWipe(system, id, { ...WIPE, wipedOn: daysFrom(today, -50) }, ctx)
      await devices.markReady(system, id, ctx)
      return id
    }
    const handOut = async (id: string, kind: 'loan' | 'gift', name: string) => {
      await devices.allocate(
        system,
        {
          deviceId: id,
          kind,
          dueOn: kind === 'loan' ? daysFrom(today, 7) : undefined,
          recipient: { personName: name },
        },
        ctx,
      )
      await devices.handOver(
        system,
        { deviceId: id, agreedName: name, items: ['charger', 'setup-help'] },
        ctx,
      )
    }

    await add('laptop', 'Dell Latitude 5490')
    const wiping = await add('laptop', 'HP EliteBook 840 G5')
    await devices.recordWipe(system, wiping, { ...WIPE, wipedOn: today }, ctx)
    await ready('laptop', 'Lenovo ThinkPad T480')
    await ready('laptop', 'Lenovo ThinkPad T480')
    await ready('chromebook', 'Acer Chromebook 314')
    await ready('tablet', 'Samsung Galaxy Tab A8')
    const setAside = await ready('tablet', 'Apple iPad (9th generation)')
    await devices.allocate(
      system,
      { deviceId: setAside, kind: 'gift', recipient: { personName: 'Demo resident Farah Haddad' } },
      ctx,
    )
    const overdue = await ready('laptop', 'Dell Latitude 7400')
    await handOut(overdue, 'loan', 'Demo resident Joseph Mensah')
    const open = (await devices.getDevice(system, overdue)).open
    if (open) await repo.updateAllocation(db, open.id, { due_on: daysFrom(today, -9) })
    await handOut(await ready('chromebook', 'Acer Chromebook 314'), 'loan', 'Demo resident Maria Santos')
    await handOut(await ready('tablet', 'Samsung Galaxy Tab A8'), 'gift', 'Demo resident Li Wei')
    const back = await ready('laptop', 'Lenovo ThinkPad T480')
    await handOut(back, 'loan', 'Demo resident Tom Byrne')
    await devices.returnDevice(system, { deviceId: back, items: ['charger'], condition: 'fair' }, ctx)
    const broken = await add('laptop', 'Toshiba Satellite Pro', { condition: 'poor' })
    await devices.retire(
      system,
      broken,
      {
        outcome: 'recycled',
        recycler: 'Demo WEEE recycling',
        certificateRef: 'DEMO-WEEE-1',
        disposedOn: today,
      },
      ctx,
    )
    const phone = await ready('phone', 'Samsung Galaxy A14')
    await handOut(phone, 'loan', 'Demo resident Amina Yusuf')
    await devices.markLost(system, phone, ctx)
    const sim = { network: 'Vodafone', allowance: '20GB a month, calls and texts' }
    await ready('sim', 'National Databank SIM', {
      ...sim,
      activatedOn: today,
      expiresOn: daysFrom(today, 182),
    })
    const ending = await ready('sim', 'National Databank SIM', {
      ...sim,
      activatedOn: daysFrom(today, -172),
      expiresOn: daysFrom(today, 10),
    })
    await handOut(ending, 'gift', 'Demo resident Grace Okafor')
  }
}

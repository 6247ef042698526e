/**
 * Fictional device stock for the data generator: `devices` devices and SIM cards at the libraries, taken in
 * over the last three years, in every state of their life, with `loans` loans and gifts in all spread over
 * them (earlier ones returned; the last one open when the device is out, a gift when it was given). Ready
 * devices have their wipe since they last came back, so they can be allocated; open loans are due from a
 * little before today (a few overdue) to a few weeks on. Residents are people of their own, a few hundred
 * per library.
 */

import type { AllocationTable, DeviceTable, WipeTable } from '../../src/modules/devices/device.repository.ts'
import { type DeviceKind, type DeviceState, luhnCheckDigit } from '../../src/modules/devices/device.ts'
import type { PersonTable } from '../../src/modules/people/person.repository.ts'
import { nameKey } from '../../src/modules/people/person.ts'
import type { Db } from '../../src/platform/database.ts'
import { newId } from '../../src/platform/ids.ts'
import { addDays, londonToday } from '../../src/platform/london.ts'
import { insertMany, type Random } from './random.ts'
import { FIRST, LAST } from './referral-parts.ts'

const BATCH = 2_000
const DAY = 86_400_000
const PEOPLE = 5_000
const TAGS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** Kinds in the proportions a lending scheme has them. */
const KINDS: DeviceKind[] = [
  'laptop',
  'laptop',
  'laptop',
  'chromebook',
  'tablet',
  'tablet',
  'phone',
  'hotspot',
  'sim',
  'sim',
]
/** States out of 20: a fifth ready to hand out, many given or retired over the years. */
const STATES: DeviceState[] = [
  ...Array<DeviceState>(4).fill('ready'),
  ...Array<DeviceState>(3).fill('on-loan'),
  ...Array<DeviceState>(5).fill('gifted'),
  ...Array<DeviceState>(4).fill('retired'),
  'received',
  'wiping',
  'returned',
  'lost',
]

/** A unique asset tag for the n-th device: DEV- and n in the label's 32 letters and digits. */
function assetTag(n: number): string {
  let out = ''
  for (let i = 0, v = n; i < 6; i++, v = Math.floor(v / TAGS.length)) out = TAGS[v % TAGS.length] + out
  return `DEV-${out}`
}

function identifiers(kind: DeviceKind, n: number): { imei: string | null; iccid: string | null } {
  const digits = String(n).padStart(9, '0')
  if (kind === 'phone' || kind === 'hotspot') {
    const partial = `35${digits}000`
    return { imei: partial + luhnCheckDigit(partial), iccid: null }
  }
  if (kind !== 'sim') return { imei: null, iccid: null }
  const partial = `894410${digits}000`
  return { imei: null, iccid: partial + luhnCheckDigit(partial) }
}

export async function generateDevices(db: Db, devices: number, loans: number, r: Random) {
  if (!devices) return { devices: 0, loans: 0 }
  const libraries = await db
    .selectFrom('locations')
    .select(['id', 'borough_id'])
    .where('kind', '=', 'library')
    .execute()
  if (!libraries.length) throw new Error('no libraries to keep devices at')
  const now = Date.now()
  const today = londonToday()
  const iso = (ms: number) => new Date(ms).toISOString()

  // The residents, per borough.
  const people: PersonTable[] = []
  for (let i = 0; i < PEOPLE; i++) {
    const name = `${r.pick(FIRST)} ${r.pick(LAST)}`
    const at = iso(now - r.int(3 * 365) * DAY)
    people.push({
      id: newId(),
      borough_id: (libraries[i % libraries.length] as { borough_id: string }).borough_id,
      full_name: name,
      name_key: nameKey(name),
      date_of_birth: null,
      age_range: null,
      phone: null,
      phone_key: null,
      email: null,
      email_key: null,
      postcode: null,
      preferred_language: null,
      merged_into_id: null,
      created_at: at,
      updated_at: at,
    })
  }
  await db.transaction().execute((tx) => insertMany(tx, 'people', people))
  const residents = new Map<string, string[]>()
  for (const p of people) residents.set(p.borough_id, [...(residents.get(p.borough_id) ?? []), p.id])

  const perDevice = loans / devices
  let made = 0
  for (let start = 0; start < devices; start += BATCH) {
    const size = Math.min(BATCH, devices - start)
    const rows: DeviceTable[] = []
    const allocations: AllocationTable[] = []
    const wipes: WipeTable[] = []
    for (let n = start; n < start + size; n++) {
      const place = r.pick(libraries)
      const kind = r.pick(KINDS)
      const status = r.pick(STATES)
      const id = newId()
      const created = now - (30 + r.int(3 * 365)) * DAY
      // Whole numbers summing to `loans`, one after another since the device came in.
      const count = Math.floor((n + 1) * perDevice) - Math.floor(n * perDevice)
      let at = created + DAY
      const step = Math.max(DAY, Math.floor((now - DAY - at) / Math.max(1, count)))
      let lastReturned: string | null = null
      for (let k = 0; k < count; k++) {
        const last = k === count - 1
        const handed = at + r.int(3) * DAY
        const gift = last && status === 'gifted'
        const stillOut = last && status === 'on-loan'
        const ended = gift ? iso(handed) : stillOut ? null : iso(Math.min(now - DAY, handed + step / 2))
        if (ended && !gift) lastReturned = ended
        allocations.push({
          id: newId(),
          device_id: id,
          person_id: r.pick(residents.get(place.borough_id) ?? people.map((p) => p.id)),
          borough_id: place.borough_id,
          kind: gift ? 'gift' : 'loan',
          via: r.chance(0.6) ? 'referral' : 'desk',
          referral_need_id: null,
          requested_at: null,
          // An open loan is due from ten days ago (overdue) to eighty days on.
          due_on: gift
            ? null
            : stillOut
              ? addDays(today, r.int(90) - 10)
              : iso(handed + 60 * DAY).slice(0, 10),
          allocated_by_user_id: null,
          allocated_at: iso(at),
          agreement_version: '2026-12',
          agreed_name: 'Bench Resident',
          witness_user_id: null,
          handed_over_at: iso(handed),
          handover_items_json: ['charger'],
          ended_at: ended,
          end_reason: gift ? 'gifted' : ended ? 'returned' : null,
          return_items_json: ended && !gift ? ['charger'] : null,
          return_condition: ended && !gift ? 'good' : null,
          // Reminded and followed up already, as the hourly job would have: the run starts with nothing to send.
          due_reminded_at: iso(handed),
          expiry_reminded_at: kind === 'sim' ? iso(handed) : null,
          can_text: false,
          can_email: false,
          follow_up_asked_at: iso(Math.min(now, handed + 21 * DAY)),
        })
        at += step
      }
      if (status === 'ready' && kind !== 'sim')
        wipes.push({
          id: newId(),
          device_id: id,
          method: 'Purge',
          standard: 'NIST SP 800-88 Rev. 1',
          tool: 'Blancco Drive Eraser 7',
          wiped_by: 'Bench Technician',
          wiped_on: iso(now - DAY).slice(0, 10),
          certificate_ref: `BENCH-${n}`,
          recorded_by_user_id: null,
          recorded_at: iso(now - DAY),
        })
      const updated = iso(Math.min(now - 1000, at))
      rows.push({
        id,
        kind,
        make_model: kind === 'sim' ? 'National Databank SIM' : 'Lenovo ThinkPad T480',
        serial: kind === 'sim' ? null : `BENCH-${n}`,
        ...identifiers(kind, n),
        asset_tag: assetTag(n),
        source: kind === 'sim' ? 'national-scheme' : r.chance(0.7) ? 'donated' : 'bought',
        donation_id: null,
        condition: r.pick(['new', 'good', 'good', 'fair']),
        library_id: place.id,
        borough_id: place.borough_id,
        status,
        network: kind === 'sim' ? 'Three' : null,
        allowance: kind === 'sim' ? '20GB a month' : null,
        activated_on: kind === 'sim' ? iso(created).slice(0, 10) : null,
        expires_on: kind === 'sim' ? iso(created + 180 * DAY).slice(0, 10) : null,
        voucher_code: null,
        last_returned_at: lastReturned,
        created_at: iso(created),
        updated_at: updated,
      })
    }
    made += allocations.length
    await db.transaction().execute(async (tx) => {
      await insertMany(tx, 'devices', rows)
      await insertMany(tx, 'device_allocations', allocations)
      await insertMany(tx, 'device_wipes', wipes)
    })
  }
  return { devices, loans: made }
}

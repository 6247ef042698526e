/**
 * Fictional referrals for the data generator: people, referrals, one request per need (in every state,
 * later states for older referrals) and their history, over the last year and across every borough.
 */
import type { PersonTable } from '../../src/modules/people/person.repository.ts'
import { emailKey, nameKey, phoneKey } from '../../src/modules/people/person.ts'
import type { EventTable, NeedTable, ReferralTable } from '../../src/modules/referrals/referral.repository.ts'
import {
  NEED_KINDS,
  NEED_STATES,
  type NeedState,
  newReference,
  OUTCOMES,
  referralStatus,
} from '../../src/modules/referrals/referral.ts'
import {
  lookupPostcode,
  normalisePostcode,
  type ReferralRules,
  teamFor,
} from '../../src/modules/referrals/rules.ts'
import { searchKeysOf, searchWordsOf } from '../../src/modules/referrals/search-words.ts'
import { listBoroughs } from '../../src/platform/boroughs.ts'
import type { Db, Dialect } from '../../src/platform/database.ts'
import { newId } from '../../src/platform/ids.ts'
import { BulkInsert } from './bulk.ts'
import { type Random, seededId } from './random.ts'
import {
  details,
  FIRST,
  INWARD_LETTERS,
  LANGUAGES,
  LAST,
  OFFICERS,
  ORGANISATIONS,
  stateFor,
} from './referral-parts.ts'

const DAY = 86_400_000
/** Referrals a transaction, with their people, requests and history. */
const BATCH = 10_000

export async function generateReferrals(
  db: Db,
  dialect: Dialect,
  n: number,
  r: Random,
  rules: ReferralRules,
) {
  const boroughs = await listBoroughs(db)
  const boroughId = new Map(boroughs.map((b) => [b.code, b.id]))
  const taken = new Set(
    (await db.selectFrom('referrals').select('reference').execute()).map((x) => x.reference),
  )
  const officers = OFFICERS.map((name) => ({ id: newId(Date.now() - 400 * DAY), name }))
  const now = Date.now()
  const counts = { referrals: 0, needs: 0, people: 0 }
  const recentPeople: PersonTable[] = []
  const bulk = new BulkInsert(dialect)
  // Ids from the seeded source (see seededId), stamped with when they are made, as newId's would be.
  const id = () => seededId(r, Date.now())

  /** A postcode of the partnership from the referrals module's table, and the borough it is in. */
  function place(): { postcode: string | null; borough: string; chosen?: string } {
    if (r.chance(0.06)) return { postcode: null, borough: r.pick(boroughs).code, chosen: 'asked' }
    for (;;) {
      const area = r.pick(rules.areas)
      const [outward, sector] = area.prefix.split(' ')
      const digit = sector ?? String(r.int(10))
      const raw = `${outward} ${digit}${r.pick([...INWARD_LETTERS])}${r.pick([...INWARD_LETTERS])}`
      const found = lookupPostcode(rules, raw)
      const postcode = normalisePostcode(raw)
      if (found.kind === 'borough') return { postcode, borough: found.borough }
      if (found.kind === 'ask') return { postcode, borough: r.pick(found.boroughs), chosen: 'asked' }
    }
  }

  for (let done = 0; done < n; ) {
    const size = Math.min(BATCH, n - done)
    const people: PersonTable[] = []
    const referrals: ReferralTable[] = []
    const needs: NeedTable[] = []
    const events: EventTable[] = []
    const words: [string, string, string, string][] = []
    for (let i = 0; i < size; i++, done++) {
      // Weekdays in office hours, more of them lately.
      let created = now - Math.floor(365 * DAY * r.next() ** 1.3)
      const weekday = new Date(created).getUTCDay()
      if (weekday === 0 || weekday === 6) created -= 2 * DAY
      created = created - (created % DAY) + (8 + r.int(10)) * 3_600_000 + r.int(3_600_000)
      if (created > now) created = now - r.int(3_600_000)
      const at = new Date(created).toISOString()
      const ageDays = (now - created) / DAY
      const where = place()
      const bId = boroughId.get(where.borough) as string
      // About one in ten comes back: the same person, a new referral.
      const again = recentPeople.length > 50 && r.chance(0.1) ? r.pick(recentPeople) : null
      const name = again?.full_name ?? `${r.pick(FIRST)} ${r.pick(LAST)}`
      const phone = r.chance(0.7) ? `07700 900${String(r.int(1000)).padStart(3, '0')}` : null
      const email = r.chance(0.5) ? `${nameKey(name).replace(/[^a-z]+/g, '.')}.${done}@example.com` : null
      let person = again
      if (!person || person.borough_id !== bId) {
        const dob = r.chance(0.7)
          ? `19${30 + r.int(75)}-${String(1 + r.int(12)).padStart(2, '0')}-${String(1 + r.int(28)).padStart(2, '0')}`
          : null
        person = {
          id: id(),
          borough_id: bId,
          full_name: name,
          name_key: nameKey(name),
          date_of_birth: dob,
          age_range: dob ? null : r.pick(rules.ageRanges),
          phone,
          phone_key: phoneKey(phone),
          email,
          email_key: emailKey(email),
          postcode: where.postcode,
          preferred_language: r.pick(LANGUAGES) || null,
          merged_into_id: null,
          created_at: at,
          updated_at: at,
        }
        people.push(person)
        recentPeople.push(person)
        if (recentPeople.length > 500) recentPeople.shift()
      }
      let reference = newReference(r.int)
      while (taken.has(reference)) reference = newReference(r.int)
      taken.add(reference)
      const referralId = id()
      const onBehalf = r.chance(0.55)
      const kinds = r.some(NEED_KINDS, 0.3, 1).slice(0, 3)
      const states = kinds.map((_, k) =>
        // The first few cover every state, whatever n is.
        done < NEED_STATES.length && k === 0 ? (NEED_STATES[done] as NeedState) : stateFor(ageDays, r),
      )
      let updated = created
      kinds.forEach((kind, k) => {
        const state = states[k] as NeedState
        const moved =
          state === 'submitted' ? created : created + Math.floor(r.next() * Math.min(ageDays, 40) * DAY)
        updated = Math.max(updated, moved)
        const needId = id()
        const finished = ['outcome-recorded', 'closed'].includes(state)
        needs.push({
          id: needId,
          referral_id: referralId,
          kind,
          details_json: details(kind, r),
          status: state,
          outcome: finished ? (r.chance(0.6) ? 'got-help' : r.pick(OUTCOMES)) : null,
          team_code: teamFor(rules, where.borough, kind).code,
          declined_reason: state === 'declined' ? 'Already has a device on loan from the council' : null,
          signposting: state === 'declined' ? 'Drop-in IT help at any library, Tuesdays and Thursdays' : null,
          created_at: at,
          updated_at: new Date(moved).toISOString(),
        })
        if (state !== 'submitted')
          events.push({
            id: id(),
            referral_id: referralId,
            need_id: needId,
            kind: 'status',
            from_status: 'submitted',
            to_status: state,
            outcome: null,
            detail_json: null,
            note: null,
            user_id: null,
            user_name: 'Generated',
            at: new Date(moved).toISOString(),
          })
      })
      const status = referralStatus(states)
      const officer = status !== 'submitted' && r.chance(0.6) ? r.pick(officers) : null
      const resident = {
        name,
        dateOfBirth: person.date_of_birth ?? undefined,
        ageRange: person.age_range ?? undefined,
        noFixedAddress: where.postcode === null,
        postcode: where.postcode,
        borough: where.chosen ? where.borough : undefined,
        contactMethods: [
          ...(phone ? ['phone'] : []),
          ...(email ? ['email'] : []),
          ...(phone || email ? [] : ['library']),
        ],
        phone: phone ?? undefined,
        email: email ?? undefined,
        address: '',
        safe: phone ? ['voicemail'] : [],
        language: person.preferred_language ?? '',
        interpreter: Boolean(person.preferred_language) && r.chance(0.5),
        accessNeeds: r.chance(0.2) ? 'Large print, please' : '',
      }
      referrals.push({
        id: referralId,
        reference,
        borough_id: bId,
        person_id: person.id,
        source: onBehalf ? (r.chance(0.3) ? 'partner-api' : 'partner-web') : 'self',
        referrer_organisation_id: null,
        status,
        resident_name: name,
        name_key: nameKey(name),
        postcode: where.postcode,
        answers_json: {
          resident,
          reporting: { over60: r.pick(['yes', 'no', 'prefer-not-to-say']) },
          onBehalf,
        },
        referrer_json: onBehalf
          ? {
              name: 'Sam Worker',
              organisation: r.pick(ORGANISATIONS),
              role: 'Support worker',
              email: 'sam.worker@example.com',
              relationship: 'Key worker',
            }
          : null,
        privacy_notice_version: 'generated',
        consent_at: at,
        journey_token_hash: null,
        tracking_words_hash: null,
        idempotency_key: null,
        idempotency_hash: null,
        assigned_user_id: officer?.id ?? null,
        assigned_name: officer?.name ?? null,
        created_at: at,
        updated_at: new Date(updated).toISOString(),
      })
      for (const word of searchKeysOf(searchWordsOf(name, where.postcode)))
        words.push([referralId, word, bId, at])
      events.push({
        id: id(),
        referral_id: referralId,
        need_id: null,
        kind: 'submitted',
        from_status: null,
        to_status: 'submitted',
        outcome: null,
        detail_json: { source: onBehalf ? 'partner-web' : 'self' },
        note: null,
        user_id: null,
        user_name: null,
        at,
      })
    }
    await db.transaction().execute(async (tx) => {
      await bulk.objects(tx, 'people', people)
      await bulk.objects(tx, 'referrals', referrals)
      await bulk.rows(tx, 'referral_search_words', ['referral_id', 'word', 'borough_id', 'created_at'], words)
      await bulk.objects(tx, 'referral_needs', needs)
      await bulk.objects(tx, 'referral_events', events)
    })
    counts.referrals += referrals.length
    counts.needs += needs.length
    counts.people += people.length
  }
  return counts
}

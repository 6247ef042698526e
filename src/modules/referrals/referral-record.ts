import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import type { Tx } from '#platform/database.ts'
import { Invalid } from '#platform/errors.ts'
import { newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import type { PersonService } from '../people/index.ts'
import { nameKey } from '../people/index.ts'
import type { ReferralInput } from './refer.schemas.ts'
import { englishTranslator, referralNotices, referrerChannel, residentChannels } from './referral.notices.ts'
import { type ReferralTable, referralRepository as repo } from './referral.repository.ts'
import { newReference } from './referral.ts'
import { derivedReporting } from './reporting-derived.ts'
import {
  firstContactBy,
  homeLibraryEligible,
  lookupPostcode,
  normalisePostcode,
  type ReferralRules,
  teamFor,
} from './rules.ts'
import { searchKeysOf, searchWordsOf } from './search-words.ts'
import { trackingWordsHash } from './tracking-words.ts'

export interface Boroughs {
  byCode: Map<string, { id: string; name: string; short_name: string }>
  byId: Map<string, { code: string; name: string; short_name: string }>
  codes: string[]
}

export interface SubmitMeta {
  source: ReferralTable['source']
  organisationId?: string
  idempotency?: { key: string; bodyHash: string }
  journeyTokenHash?: string
  /** The journey's three words, to check the referral at /track. */
  trackingWords?: string
  privacyNoticeVersion: string
}

export interface Submitted {
  reference: string
  status: ReferralTable['status']
  created: boolean
  byDate: string
}

/**
 * The counting answers as kept: what the resident's other answers already say (not asked on the pages,
 * and overriding an answer that disagrees), listed as derived, and the rest as answered.
 */
function withDerived(
  reporting: ReferralInput['reporting'],
  resident: ReferralInput['resident'],
  today: string,
) {
  const derived = derivedReporting(resident, today)
  return { reporting: { ...reporting, ...derived }, reportingDerived: Object.keys(derived) }
}

/**
 * Recording a referral, whichever way it came (the journey, a partner's API call, a staff form): its
 * borough, its person, its requests and their teams, the first line of its history, the audit row and
 * the notices, all in the caller's transaction.
 */
export function referralRecorder(
  platform: Platform,
  deps: {
    people: PersonService
    rules: ReferralRules
    organisationName(id: string): Promise<string | null>
    boroughs(): Promise<Boroughs>
  },
) {
  const { audit, outbox, config } = platform
  const { rules, people } = deps
  const notices = referralNotices(
    outbox,
    englishTranslator(config.APP_ROOT),
    config.SERVICE_NAME,
    config.publicUrl,
  )

  /** The borough a referral belongs to, from the postcode table or the resident's own answer. */
  function boroughCodeFor(resident: ReferralInput['resident'], known: Boroughs): string {
    const chosen = resident.borough && known.byCode.has(resident.borough) ? resident.borough : null
    if (resident.noFixedAddress || !resident.postcode) {
      if (!chosen) throw new Invalid('refer.error.boroughRequired', 'resident-borough')
      return chosen
    }
    const found = lookupPostcode(rules, resident.postcode)
    if (found.kind === 'borough') return found.borough
    if (found.kind === 'ask') {
      if (chosen && found.boroughs.includes(chosen)) return chosen
      throw new Invalid('refer.error.council', 'resident-borough')
    }
    if (chosen) return chosen
    throw new Invalid('refer.error.outsideArea', 'resident-postcode')
  }

  const byDate = (from: string) => firstContactBy(rules, from)

  async function existing(row: ReferralTable): Promise<Submitted> {
    return { reference: row.reference, status: row.status, created: false, byDate: byDate(row.created_at) }
  }

  /** What `create` needs from outside its transaction (on SQLite, one connection: no reads beside it). */
  async function prepare(meta: SubmitMeta) {
    const known = await deps.boroughs()
    const organisation = meta.organisationId ? await deps.organisationName(meta.organisationId) : null
    return { known, organisation }
  }

  async function create(
    tx: Tx,
    input: ReferralInput,
    meta: SubmitMeta,
    ctx: AuditContext,
    { known, organisation }: Awaited<ReturnType<typeof prepare>>,
  ): Promise<{ id: string; submitted: Submitted }> {
    const code = boroughCodeFor(input.resident, known)
    const borough = known.byCode.get(code)
    if (!borough) throw new Invalid('refer.error.boroughRequired', 'resident-borough')
    for (const need of input.needs)
      if (need.kind === 'home-library' && !homeLibraryEligible(rules, need.reason))
        throw new Invalid('refer.error.hlsNotEligible', 'needs')
    let referrer = input.referrer ? { ...input.referrer } : null
    if (referrer && meta.organisationId && !referrer.organisation)
      referrer = { ...referrer, organisation: organisation ?? '' }
    const r = input.resident
    const postcode = r.postcode ? normalisePostcode(r.postcode) : null
    const personId = await people.create(
      tx,
      {
        boroughId: borough.id,
        fullName: r.name,
        dateOfBirth: r.dateOfBirth ?? null,
        ageRange: r.ageRange ?? null,
        phone: r.phone ?? null,
        email: r.email ?? null,
        postcode,
        preferredLanguage: r.language || null,
      },
      ctx,
    )
    const id = newId()
    const now = nowIso()
    const reporting = withDerived(input.reporting, r, now.slice(0, 10))
    const row = (reference: string): ReferralTable => ({
      id,
      reference,
      borough_id: borough.id,
      person_id: personId,
      source: meta.source,
      referrer_organisation_id: meta.organisationId ?? null,
      status: 'submitted',
      resident_name: r.name,
      name_key: nameKey(r.name),
      postcode,
      answers_json: { resident: { ...r, postcode }, ...reporting, onBehalf: input.onBehalf },
      referrer_json: referrer as Record<string, string> | null,
      privacy_notice_version: meta.privacyNoticeVersion,
      consent_at: now,
      journey_token_hash: meta.journeyTokenHash ?? null,
      tracking_words_hash: meta.trackingWords ? trackingWordsHash(reference, meta.trackingWords) : null,
      idempotency_key: meta.idempotency?.key ?? null,
      idempotency_hash: meta.idempotency?.bodyHash ?? null,
      assigned_user_id: null,
      assigned_name: null,
      created_at: now,
      updated_at: now,
    })
    // References are random: on the rare clash, another one.
    let reference = newReference()
    while (!(await repo.insertReferral(tx, row(reference)))) reference = newReference()
    await repo.insertSearchWords(
      tx,
      { id, borough_id: borough.id, created_at: now },
      searchKeysOf(searchWordsOf(r.name, postcode)),
    )
    await repo.insertNeeds(
      tx,
      input.needs.map(({ kind, ...details }) => ({
        id: newId(),
        referral_id: id,
        kind,
        details_json: details,
        status: 'submitted',
        outcome: null,
        team_code: teamFor(rules, code, kind).code,
        declined_reason: null,
        signposting: null,
        created_at: now,
        updated_at: now,
      })),
    )
    await repo.insertEvent(tx, {
      id: newId(),
      referral_id: id,
      need_id: null,
      kind: 'submitted',
      from_status: null,
      to_status: 'submitted',
      outcome: null,
      detail_json: { source: meta.source },
      note: null,
      user_id: ctx.userId,
      user_name: null,
      at: now,
    })
    await audit.record(tx, ctx, {
      action: 'referral.submitted',
      recordType: 'referral',
      recordId: id,
      fields: ['resident', 'needs', 'reporting', ...(referrer ? ['referrer'] : []), 'consent'],
    })
    const due = byDate(now)
    await notices.received(tx, {
      reference,
      boroughId: borough.id,
      byDate: due,
      needs: input.needs.map((n) => n.kind),
      resident: residentChannels(r),
      referrer: referrerChannel(referrer),
    })
    return { id, submitted: { reference, status: 'submitted', created: true, byDate: due } }
  }

  return { prepare, create, existing, byDate }
}

import { randomBytes } from 'node:crypto'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import { isUniqueViolation, type Tx } from '#platform/database.ts'
import { HubError, Invalid } from '#platform/errors.ts'
import { sha256 } from '#platform/hash.ts'
import { newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import type { PersonService } from '../people/index.ts'
import { nameKey } from '../people/index.ts'
import type { DisclosureGate } from './disclosure.ts'
import { type Answers, toReferralInput } from './refer.journey.ts'
import { type ReferralInput, referralSchema } from './refer.schemas.ts'
import { englishTranslator, referralNotices, referrerChannel, residentChannels } from './referral.notices.ts'
import { type ReferralTable, referralRepository as repo } from './referral.repository.ts'
import { newReference } from './referral.ts'
import { referralStatusService } from './referral-status.service.ts'
import { derivedReporting } from './reporting-derived.ts'
import {
  firstContactBy,
  homeLibraryEligible,
  lookupPostcode,
  normalisePostcode,
  type ReferralRules,
  teamFor,
} from './rules.ts'
import { trackingWordsFor, trackingWordsHash } from './tracking-words.ts'

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

export interface Submitted {
  reference: string
  status: ReferralTable['status']
  created: boolean
  byDate: string
}

/** Use cases of residents and partners: the journey and submission; where a referral is, from the status service. */
export function referralService(
  platform: Platform,
  deps: {
    people: PersonService
    rules: ReferralRules
    organisationName(id: string): Promise<string | null>
    disclosures: DisclosureGate
  },
) {
  const { database, audit, outbox, config } = platform
  const { db } = database
  const { rules, people } = deps
  const t = englishTranslator(config.APP_ROOT)
  const notices = referralNotices(outbox, t, config.SERVICE_NAME, config.publicUrl)
  let boroughCache: Boroughs | null = null

  async function boroughs(): Promise<Boroughs> {
    if (boroughCache?.codes.length) return boroughCache
    const rows = await listBoroughs(db)
    boroughCache = {
      byCode: new Map(rows.map((b) => [b.code, b])),
      byId: new Map(rows.map((b) => [b.id, b])),
      codes: rows.map((b) => b.code),
    }
    return boroughCache
  }

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
    const known = await boroughs()
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

  return {
    boroughs,
    ...referralStatusService(platform, deps),

    /**
     * One referral from the API or a staff form. With an idempotency key, a retry returns the referral
     * the first request made; the same key with a different body is refused.
     */
    async submit(raw: unknown, meta: SubmitMeta, ctx: AuditContext): Promise<Submitted> {
      const prepared = await prepare(meta)
      // A partner's key says which organisation refers: whatever the body names, it is the key's.
      const body = meta.source === 'partner-api' ? withOrganisation(raw, prepared.organisation) : raw
      const parsed = referralSchema.safeParse(body)
      if (!parsed.success) throw new Invalid(parsed.error.issues[0]?.message ?? 'refer.error.invalid')
      const replay = async (tx: typeof db | Tx) => {
        if (!meta.idempotency || !meta.organisationId) return null
        const prior = await repo.findByIdempotencyKey(tx, meta.organisationId, meta.idempotency.key)
        if (!prior) return null
        if (prior.idempotency_hash !== meta.idempotency.bodyHash)
          throw new HubError('This Idempotency-Key was used with a different request', 422)
        return existing(prior)
      }
      try {
        return await db
          .transaction()
          .execute(
            async (tx) =>
              (await replay(tx)) ?? (await create(tx, parsed.data, meta, ctx, prepared)).submitted,
          )
      } catch (error) {
        // Two retries at the same moment: the unique index lets one in; the other gets its referral.
        const prior = isUniqueViolation(error) ? await replay(db) : null
        if (prior) return prior
        throw error
      }
    },

    // The journey's answers, kept in the database under the hash of a random cookie, for a limited time.
    async startJourney(): Promise<string> {
      const token = randomBytes(32).toString('base64url')
      const now = nowIso()
      await repo.purgeJourneys(db, now)
      await repo.insertJourney(db, {
        token_hash: sha256(token),
        answers_json: {},
        referral_id: null,
        created_at: now,
        updated_at: now,
        expires_at: new Date(Date.now() + rules.journeyHours * 3_600_000).toISOString(),
      })
      return token
    },

    /** Housekeeping: journeys past their time go, answers and all. */
    async purgeJourneys(): Promise<void> {
      await repo.purgeJourneys(db, nowIso())
    },

    async loadJourney(token: string) {
      const row = await repo.findJourney(db, sha256(token), nowIso())
      if (!row) return null
      const submitted = row.referral_id ? await repo.findById(db, row.referral_id) : undefined
      return {
        answers: row.answers_json as Answers,
        submitted: submitted
          ? {
              reference: submitted.reference,
              byDate: byDate(submitted.created_at),
              onBehalf: submitted.source !== 'self',
            }
          : null,
      }
    },

    /** Each save keeps the answers for another `journeyHours`. */
    async saveJourney(token: string, answers: Answers): Promise<void> {
      const now = nowIso()
      await repo.updateJourney(db, sha256(token), {
        answers_json: answers,
        updated_at: now,
        expires_at: new Date(Date.now() + rules.journeyHours * 3_600_000).toISOString(),
      })
    },

    /**
     * Sends the journey as a referral. The journey row is locked, so a double click or a refresh
     * gets the referral the first click made; the answers are then cleared from the journey.
     */
    async submitJourney(
      token: string,
      privacyNoticeVersion: string,
      ctx: AuditContext,
      /** A signed-in partner referrer's organisation: a referral they make on someone's behalf is its. */
      by: { organisationId?: string } = {},
    ): Promise<Submitted> {
      const tokenHash = sha256(token)
      const organisationId = by.organisationId
      const prepared = await prepare({ source: 'self', privacyNoticeVersion, organisationId })
      return db.transaction().execute(async (tx) => {
        const journey = await repo.lockJourney(tx, database.dialect, tokenHash)
        if (!journey || journey.expires_at <= nowIso()) throw new Invalid('refer.error.expired')
        const prior = journey.referral_id ? await repo.findById(tx, journey.referral_id) : undefined
        if (prior) return existing(prior)
        const parsed = referralSchema.safeParse(toReferralInput(journey.answers_json as Answers))
        if (!parsed.success) throw new Invalid(parsed.error.issues[0]?.message ?? 'refer.error.invalid')
        const onBehalf = parsed.data.onBehalf
        const { id, submitted } = await create(
          tx,
          parsed.data,
          {
            source: onBehalf ? 'partner-web' : 'self',
            organisationId: onBehalf ? organisationId : undefined,
            journeyTokenHash: tokenHash,
            trackingWords: trackingWordsFor(token),
            privacyNoticeVersion,
          },
          ctx,
          prepared,
        )
        await repo.updateJourney(tx, tokenHash, { referral_id: id, answers_json: {} })
        return submitted
      })
    },
  }
}

export type ReferralService = ReturnType<typeof referralService>

function withOrganisation(raw: unknown, organisation: string | null): unknown {
  if (typeof raw !== 'object' || raw === null || !('referrer' in raw)) return raw
  const { referrer } = raw as { referrer: unknown }
  if (typeof referrer !== 'object' || referrer === null) return raw
  return { ...raw, referrer: { ...referrer, organisation: organisation ?? '' } }
}

import { randomBytes } from 'node:crypto'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import { Invalid } from '#platform/errors.ts'
import { sha256 } from '#platform/hash.ts'
import type { Platform } from '#platform/platform.ts'
import { journeyRepository as journeys } from './journey.repository.ts'
import { type Answers, toReferralInput } from './refer.journey.ts'
import { referralSchema } from './refer.schemas.ts'
import { referralRepository as repo } from './referral.repository.ts'
import type { referralRecorder, Submitted } from './referral-record.ts'
import type { ReferralRules } from './rules.ts'
import { trackingWordsFor } from './tracking-words.ts'

/**
 * The online journey: its answers kept in the database under the hash of a random cookie for a limited
 * time, then sent as one referral.
 */
export function journeyService(
  platform: Platform,
  deps: { rules: ReferralRules; recorder: ReturnType<typeof referralRecorder> },
) {
  const { database } = platform
  const { db } = database
  const { rules } = deps
  const { prepare, create, existing, byDate } = deps.recorder

  return {
    async startJourney(): Promise<string> {
      const token = randomBytes(32).toString('base64url')
      const now = nowIso()
      await journeys.purgeJourneys(db, now)
      await journeys.insertJourney(db, {
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
      await journeys.purgeJourneys(db, nowIso())
    },

    async loadJourney(token: string) {
      const row = await journeys.findJourney(db, sha256(token), nowIso())
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
      await journeys.updateJourney(db, sha256(token), {
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
        const journey = await journeys.lockJourney(tx, database.dialect, tokenHash)
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
        await journeys.markSent(tx, tokenHash, id)
        return submitted
      })
    },
  }
}

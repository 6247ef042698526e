import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { isUniqueViolation, type Tx } from '#platform/database.ts'
import { HubError, Invalid } from '#platform/errors.ts'
import type { Platform } from '#platform/platform.ts'
import type { PersonService } from '../people/index.ts'
import { journeyService } from './journey.service.ts'
import { referralSchema } from './refer.schemas.ts'
import { referralRepository as repo } from './referral.repository.ts'
import { type Boroughs, referralRecorder, type SubmitMeta, type Submitted } from './referral-record.ts'
import { referralStatusService } from './referral-status.service.ts'
import type { ReferralRules } from './rules.ts'

/** Use cases of residents and partners: the journey and submission; where a referral is, from the status service. */
export function referralService(
  platform: Platform,
  deps: { people: PersonService; rules: ReferralRules; organisationName(id: string): Promise<string | null> },
) {
  const { db } = platform.database
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

  const recorder = referralRecorder(platform, { ...deps, boroughs })
  const { prepare, create, existing } = recorder

  return {
    boroughs,
    ...referralStatusService(platform, deps),
    ...journeyService(platform, { rules: deps.rules, recorder }),

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
  }
}

export type ReferralService = ReturnType<typeof referralService>

function withOrganisation(raw: unknown, organisation: string | null): unknown {
  if (typeof raw !== 'object' || raw === null || !('referrer' in raw)) return raw
  const { referrer } = raw as { referrer: unknown }
  if (typeof referrer !== 'object' || referrer === null) return raw
  return { ...raw, referrer: { ...referrer, organisation: organisation ?? '' } }
}

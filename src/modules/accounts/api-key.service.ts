import { randomBytes } from 'node:crypto'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import { newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { accountRepository as repo } from './account.repository.ts'
import { sha256 } from './credentials.ts'

/** Partner organisations' keys for the referral API. */
export function apiKeyService(platform: Platform) {
  const { audit, database } = platform
  const { db } = database

  return {
    /** A partner organisation's key for the API: stored hashed, shown once. */
    async createApiKey(organisationId: string, ctx: AuditContext): Promise<string> {
      const prefix = randomBytes(4).toString('hex')
      const key = `hub_${prefix}_${randomBytes(24).toString('base64url')}`
      const id = newId()
      await db.transaction().execute(async (tx) => {
        await repo.insertApiKey(tx, {
          id,
          organisation_id: organisationId,
          key_hash: sha256(key),
          prefix,
          created_at: nowIso(),
          revoked_at: null,
          last_used_at: null,
        })
        await audit.record(tx, ctx, {
          action: 'api-key.created',
          recordType: 'organisation',
          recordId: organisationId,
        })
      })
      return key
    },

    /** The organisation a key belongs to, or null for an unknown or revoked key. */
    async organisationForApiKey(key: string): Promise<string | null> {
      const row = await repo.findApiKey(db, sha256(key))
      return row?.organisation_id ?? null
    },
  }
}

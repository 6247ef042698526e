import { requireInScope, requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext, AuditEntry } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import type { Executor } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import type { ModuleEvents } from '#platform/events.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { type PersonTable, personRepository as repo } from './person.repository.ts'
import { emailKey, type MatchReason, matchReasons, nameKey, phoneKey } from './person.ts'

export interface NewPerson {
  boroughId: string
  fullName: string
  dateOfBirth: string | null
  ageRange: string | null
  phone: string | null
  email: string | null
  postcode: string | null
  preferredLanguage: string | null
}

export interface DuplicateCandidate {
  person: PersonTable
  reasons: MatchReason[]
}

const CANDIDATE_LIMIT = 20

// A case page shows up to CANDIDATE_LIMIT, each audited: one insert for all of them.
const shownAsDuplicates = (found: readonly DuplicateCandidate[]): AuditEntry[] =>
  found.map((c) => ({ action: 'person.viewed-as-duplicate', recordType: 'person', recordId: c.person.id }))

/**
 * The resident record every module shares. Records are created, never matched silently: likely
 * duplicates are shown to staff, who merge them or mark them as different people.
 */
export function personService(platform: Platform, events: ModuleEvents) {
  const { database, audit } = platform
  const { db } = database

  async function inScope(user: StaffUser, id: string): Promise<PersonTable> {
    const person = isUuid(id) ? await repo.find(db, id) : undefined
    if (!person) throw new NotFound()
    requireInScope(user, person.borough_id)
    return person
  }

  /** Other records in the caller's boroughs that may be the same person, with what matched. */
  async function candidatesOf(user: StaffUser, person: PersonTable): Promise<DuplicateCandidate[]> {
    if (person.merged_into_id) return []
    const rows = await repo.candidates(db, person, scopeFilter(user), CANDIDATE_LIMIT)
    return rows
      .map((other) => ({ person: other, reasons: matchReasons(person, other) }))
      .filter((c) => c.reasons.length > 0)
  }

  return {
    /** A new record, inside the caller's transaction (a referral being submitted). */
    async create(tx: Executor, input: NewPerson, ctx: AuditContext): Promise<string> {
      const id = newId()
      const now = nowIso()
      await repo.insert(tx, {
        id,
        borough_id: input.boroughId,
        full_name: input.fullName,
        name_key: nameKey(input.fullName),
        date_of_birth: input.dateOfBirth,
        age_range: input.ageRange,
        phone: input.phone,
        phone_key: phoneKey(input.phone),
        email: input.email,
        email_key: emailKey(input.email),
        postcode: input.postcode,
        preferred_language: input.preferredLanguage,
        merged_into_id: null,
        created_at: now,
        updated_at: now,
      })
      const fields = Object.entries(input)
        .filter(([k, v]) => v !== null && k !== 'boroughId')
        .map(([k]) => k)
      await audit.record(tx, ctx, { action: 'person.created', recordType: 'person', recordId: id, fields })
      return id
    },

    /** The record follows its case to another borough (a transfer), inside the caller's transaction. */
    async moveToBorough(tx: Executor, personId: string, boroughId: string, ctx: AuditContext): Promise<void> {
      await repo.update(tx, personId, { borough_id: boroughId, updated_at: nowIso() })
      await audit.record(tx, ctx, {
        action: 'person.borough-changed',
        recordType: 'person',
        recordId: personId,
        fields: ['borough'],
      })
    },

    /**
     * How to reach a person, for another module's reminders (no one is looking, so nothing is audited): the
     * record they were merged into, if they were. Null when there is no such person.
     */
    async contact(
      personId: string,
    ): Promise<{ fullName: string; phone: string | null; email: string | null } | null> {
      let person = isUuid(personId) ? await repo.find(db, personId) : undefined
      for (let hops = 0; person?.merged_into_id && hops < 5; hops++)
        person = await repo.find(db, person.merged_into_id)
      return person ? { fullName: person.full_name, phone: person.phone, email: person.email } : null
    },

    /**
     * One person's record and their likely duplicates, as a case page shows them: the record read once,
     * and the view and each duplicate shown audited in one insert, after `alsoShown` (the caller's own
     * entries for the same page, such as the case the person is on), so that a page's whole view is one
     * insert and one commit. The reads stay outside that transaction: on PostgreSQL they go on beside
     * the caller's other reads, and the audit's head is locked only for the insert.
     */
    async view(
      user: StaffUser,
      id: string,
      ctx: AuditContext,
      alsoShown: readonly AuditEntry[] = [],
    ): Promise<{ person: PersonTable; duplicates: DuplicateCandidate[] }> {
      requirePermission(user, 'people.view')
      const person = await inScope(user, id)
      const duplicates = await candidatesOf(user, person)
      await audit.recordAll(db, ctx, [
        ...alsoShown,
        { action: 'person.viewed', recordType: 'person', recordId: id },
        ...shownAsDuplicates(duplicates),
      ])
      return { person, duplicates }
    },

    /**
     * Staff decided two records are one person: `mergeId` joins `keepId`. Gaps in the kept record are
     * filled from the other; every module's links follow. Both must be in the caller's boroughs.
     */
    async merge(
      user: StaffUser,
      input: { keepId: string; mergeId: string },
      ctx: AuditContext,
    ): Promise<void> {
      requirePermission(user, 'people.merge')
      if (input.keepId === input.mergeId) throw new Invalid('Choose two different records')
      await inScope(user, input.keepId)
      await inScope(user, input.mergeId)
      await db.transaction().execute(async (tx) => {
        const keep = await repo.find(tx, input.keepId)
        const merge = await repo.find(tx, input.mergeId)
        if (!keep || !merge) throw new NotFound()
        if (keep.merged_into_id || merge.merged_into_id)
          throw new Invalid('One of these records has already been merged')
        const now = nowIso()
        const filled: Partial<PersonTable> = {}
        for (const k of [
          'date_of_birth',
          'age_range',
          'phone',
          'email',
          'postcode',
          'preferred_language',
        ] as const)
          if (keep[k] === null && merge[k] !== null) filled[k] = merge[k]
        if (filled.phone) filled.phone_key = phoneKey(filled.phone)
        if (filled.email) filled.email_key = emailKey(filled.email)
        await repo.update(tx, keep.id, { ...filled, updated_at: now })
        await repo.update(tx, merge.id, { merged_into_id: keep.id, updated_at: now })
        await repo.repointMerged(tx, merge.id, keep.id, now)
        // Every module that keeps person ids follows the merge, in this transaction.
        await events.publish(tx, 'people.merged', { fromId: merge.id, toId: keep.id })
        await audit.record(tx, ctx, {
          action: 'person.merged',
          recordType: 'person',
          recordId: keep.id,
          fields: ['merged_from', ...Object.keys(filled).filter((k) => !k.endsWith('_key'))],
        })
        await audit.record(tx, ctx, {
          action: 'person.merged-away',
          recordType: 'person',
          recordId: merge.id,
        })
      })
    },

    /** Staff decided two records are different people: they are not suggested again. */
    async markDistinct(
      user: StaffUser,
      input: { aId: string; bId: string },
      ctx: AuditContext,
    ): Promise<void> {
      requirePermission(user, 'people.merge')
      await inScope(user, input.aId)
      await inScope(user, input.bId)
      const [a, b] = [input.aId, input.bId].sort() as [string, string]
      await db.transaction().execute(async (tx) => {
        await repo.insertDistinctPair(tx, {
          person_a_id: a,
          person_b_id: b,
          decided_by_user_id: user.id,
          decided_at: nowIso(),
        })
        await audit.record(tx, ctx, { action: 'person.marked-distinct', recordType: 'person', recordId: a })
        await audit.record(tx, ctx, { action: 'person.marked-distinct', recordType: 'person', recordId: b })
      })
    },
  }
}

export type PersonService = ReturnType<typeof personService>

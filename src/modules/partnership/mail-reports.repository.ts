import type { Executor } from '#platform/database.ts'
import type { RecipientStatus } from './bulletin.repository.ts'

declare module '#platform/database.ts' {
  interface Tables {
    mailing_reports: MailingReportRow
  }
}

/** A provider's report, kept by a key of what it says so that the same report twice counts once. */
export interface MailingReportRow {
  id: string
  key_sha256: string
  subscriber_id: string | null
  type: 'bounce' | 'complaint'
  bounce_kind: 'hard' | 'soft' | null
  /** `webhook` or `file` (`hub mail-reports`). */
  source: string
  reported_at: string
  received_at: string
}

/** The SQL of providers' reports, and the recipients' rows they move. */
export const mailReportRepository = {
  /** Keeps a report once: false when one with the same key was kept before (or at the same moment). */
  async keep(db: Executor, row: MailingReportRow): Promise<boolean> {
    const result = await db
      .insertInto('mailing_reports')
      .values(row)
      .onConflict((oc) => oc.column('key_sha256').doNothing())
      .executeTakeFirst()
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1
  },

  /** The subscriber's latest bulletin: the one a report after sending is about. */
  latestToSubscriber: (db: Executor, subscriberId: string) =>
    db
      .selectFrom('bulletin_recipients')
      .select('id')
      .where('subscriber_id', '=', subscriberId)
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),

  /** The latest bulletin to this address as a meeting's attendee. */
  latestToAttendee: (db: Executor, email: string) =>
    db
      .selectFrom('bulletin_direct_recipients')
      .select('id')
      .where('email', '=', email)
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),

  async setSubscriberRecipient(db: Executor, id: string, status: RecipientStatus, at: string) {
    await db.updateTable('bulletin_recipients').set({ status, updated_at: at }).where('id', '=', id).execute()
  },

  async setAttendeeRecipient(db: Executor, id: string, status: RecipientStatus, at: string) {
    await db
      .updateTable('bulletin_direct_recipients')
      .set({ status, updated_at: at })
      .where('id', '=', id)
      .execute()
  },
}

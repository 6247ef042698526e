import type { Executor } from '#platform/database.ts'
import type { DirectRecipientRow, RecipientStatus } from './bulletin.repository.ts'

/** The SQL of bulletins sent to people on no list (a meeting's attendees), each with their own status. */
export const directRecipientRepository = {
  async add(db: Executor, rows: DirectRecipientRow[]) {
    // 10 values a row: 500 rows a statement stays inside both databases' parameter limits.
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insertInto('bulletin_direct_recipients')
        .values(rows.slice(i, i + 500))
        .execute()
  },

  counts: (db: Executor, bulletinId: string) =>
    db
      .selectFrom('bulletin_direct_recipients')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .where('bulletin_id', '=', bulletinId)
      .groupBy('status')
      .execute(),

  page: (db: Executor, bulletinId: string, limit: number, offset: number) =>
    db
      .selectFrom('bulletin_direct_recipients')
      .select(['id', 'status', 'updated_at', 'email', 'name', 'attendance'])
      .where('bulletin_id', '=', bulletinId)
      .orderBy('email')
      .limit(limit)
      .offset(offset)
      .execute(),

  /** As `bulletinRepository.unsettled`: recipients whose outbox message has news. */
  unsettled: (db: Executor, limit: number) =>
    db
      .selectFrom('bulletin_direct_recipients as r')
      .innerJoin('outbox', 'outbox.id', 'r.outbox_id')
      .select(['r.id', 'r.status', 'outbox.status as outbox_status', 'outbox.last_error'])
      .where((eb) =>
        eb.or([
          eb('outbox.status', 'in', ['sent', 'parked']),
          eb.and([eb('r.status', '=', 'queued'), eb('outbox.last_error', 'is not', null)]),
        ]),
      )
      .where('r.status', 'in', ['queued', 'deferred'])
      .orderBy('r.id')
      .limit(limit)
      .execute(),

  async setStatuses(db: Executor, ids: string[], status: RecipientStatus, at: string) {
    for (let i = 0; i < ids.length; i += 1000)
      await db
        .updateTable('bulletin_direct_recipients')
        .set({ status, updated_at: at })
        .where('id', 'in', ids.slice(i, i + 1000))
        .execute()
  },
}

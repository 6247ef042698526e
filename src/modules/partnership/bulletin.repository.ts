import type { Executor } from '#platform/database.ts'

declare module '#platform/database.ts' {
  interface Tables {
    bulletins: BulletinRow
    bulletin_recipients: BulletinRecipientRow
    bulletin_direct_recipients: DirectRecipientRow
  }
}

export interface BulletinRow {
  id: string
  title: string
  body: string
  status: 'draft' | 'sent'
  list_id: string | null
  /** The meeting whose closed minutes drafted it, if one did. */
  meeting_id: string | null
  created_by: string | null
  created_at: string
  updated_at: string
  sent_by: string | null
  sent_at: string | null
  /** Whom it went to, set when sent: a list (null), or a meeting's attendees (with those who sent apologies). */
  audience: Audience | null
  audience_meeting_id: string | null
}

export type Audience = 'list' | 'attendees' | 'attendees-and-apologies'

/**
 * `queued` in the outbox; `sent`: the mail server took it; `deferred`: refused for now (a soft bounce),
 * the outbox tries again; `bounced`: refused for good; `failed`: the outbox gave up; `complained`.
 */
export type RecipientStatus = 'queued' | 'sent' | 'deferred' | 'bounced' | 'failed' | 'complained'

/** Someone a bulletin went to who is on no list: a meeting's attendee, a partner contact or staff. */
export interface DirectRecipientRow {
  id: string
  bulletin_id: string
  email: string
  name: string
  user_id: string | null
  contact_id: string | null
  attendance: 'attended' | 'apologies'
  outbox_id: string
  status: RecipientStatus
  updated_at: string
}

export interface BulletinRecipientRow {
  id: string
  bulletin_id: string
  subscriber_id: string
  outbox_id: string
  status: RecipientStatus
  updated_at: string
}

/** All of the bulletins' SQL. */
export const bulletinRepository = {
  async insert(db: Executor, row: BulletinRow) {
    await db.insertInto('bulletins').values(row).execute()
  },

  find: (db: Executor, id: string) =>
    db.selectFrom('bulletins').selectAll().where('id', '=', id).executeTakeFirst(),

  list: (db: Executor) =>
    db.selectFrom('bulletins').selectAll().orderBy('created_at', 'desc').limit(200).execute(),

  async updateDraft(
    db: Executor,
    id: string,
    set: { title: string; body: string; list_id: string; updated_at: string },
  ) {
    const result = await db
      .updateTable('bulletins')
      .set(set)
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },

  /** Marks a draft sent; of two sends at once exactly one changes the row. */
  async markSent(
    db: Executor,
    id: string,
    by: string,
    at: string,
    to: { audience: Audience; meetingId: string | null },
  ) {
    const result = await db
      .updateTable('bulletins')
      .set({
        status: 'sent',
        sent_by: by,
        sent_at: at,
        updated_at: at,
        audience: to.audience,
        audience_meeting_id: to.meetingId,
      })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },

  async addRecipients(db: Executor, rows: BulletinRecipientRow[]) {
    // 6 values a row: 1,000 rows a statement stays inside both databases' parameter limits.
    for (let i = 0; i < rows.length; i += 1000)
      await db
        .insertInto('bulletin_recipients')
        .values(rows.slice(i, i + 1000))
        .execute()
  },

  recipientCounts: (db: Executor, bulletinId: string) =>
    db
      .selectFrom('bulletin_recipients')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .where('bulletin_id', '=', bulletinId)
      .groupBy('status')
      .execute(),

  recipients: (db: Executor, bulletinId: string, limit: number, offset: number) =>
    db
      .selectFrom('bulletin_recipients')
      .innerJoin('mailing_subscribers', 'mailing_subscribers.id', 'bulletin_recipients.subscriber_id')
      .select([
        'bulletin_recipients.id',
        'bulletin_recipients.status',
        'bulletin_recipients.updated_at',
        'bulletin_recipients.subscriber_id',
        'mailing_subscribers.email',
      ])
      .where('bulletin_id', '=', bulletinId)
      .orderBy('mailing_subscribers.email')
      .limit(limit)
      .offset(offset)
      .execute(),

  recipient: (db: Executor, bulletinId: string, id: string) =>
    db
      .selectFrom('bulletin_recipients')
      .selectAll()
      .where('bulletin_id', '=', bulletinId)
      .where('id', '=', id)
      .executeTakeFirst(),

  /** Recipients whose message is still on its way, with what the outbox knows of it now. */
  unsettled: (db: Executor, limit: number) =>
    db
      .selectFrom('bulletin_recipients')
      .innerJoin('outbox', 'outbox.id', 'bulletin_recipients.outbox_id')
      .select([
        'bulletin_recipients.id',
        'bulletin_recipients.subscriber_id',
        'bulletin_recipients.status',
        'outbox.status as outbox_status',
        'outbox.last_error',
      ])
      // A queued one has news once the outbox has sent, parked or been refused; a deferred one (refused
      // for now, already scored) once the outbox has sent or parked it.
      .where((eb) =>
        eb.or([
          eb('outbox.status', 'in', ['sent', 'parked']),
          eb.and([eb('bulletin_recipients.status', '=', 'queued'), eb('outbox.last_error', 'is not', null)]),
        ]),
      )
      .where('bulletin_recipients.status', 'in', ['queued', 'deferred'])
      .orderBy('bulletin_recipients.id')
      .limit(limit)
      .execute(),

  async setStatus(db: Executor, id: string, status: RecipientStatus, at: string) {
    await db.updateTable('bulletin_recipients').set({ status, updated_at: at }).where('id', '=', id).execute()
  },

  async setStatuses(db: Executor, ids: string[], status: RecipientStatus, at: string) {
    for (let i = 0; i < ids.length; i += 1000)
      await db
        .updateTable('bulletin_recipients')
        .set({ status, updated_at: at })
        .where('id', 'in', ids.slice(i, i + 1000))
        .execute()
  },
}

import type { Executor } from '#platform/database.ts'

declare module '#platform/database.ts' {
  interface Tables {
    mailing_lists: { id: string; code: string; created_at: string }
    mailing_wordings: { id: string; sha256: string; wording: string; first_shown_at: string }
    mailing_subscribers: MailingSubscriberRow
    mailing_signups: MailingSignupRow
    mailing_subscriptions: MailingSubscriptionRow
  }
}

export interface MailingSubscriberRow {
  id: string
  email: string
  bounce_score: number
  /** Why nothing more goes to them: `bounced` or `complaint`; null while sending is allowed. */
  stopped_reason: string | null
  stopped_at: string | null
  created_at: string
}

export interface MailingSignupRow {
  id: string
  subscriber_id: string
  list_codes_json: string[]
  wording_id: string
  signed_up_at: string
  signed_up_ip: string | null
  token_hash: string
  expires_at: string
  confirmed_at: string | null
  confirmed_ip: string | null
}

export interface MailingSubscriptionRow {
  id: string
  subscriber_id: string
  list_id: string
  /** The sign-up whose confirmation is the proof of consent. */
  signup_id: string | null
  status: 'subscribed' | 'unsubscribed'
  subscribed_at: string
  unsubscribed_at: string | null
  /** `link`, `one-click` (RFC 8058, from the mail program) or `manage`. */
  unsubscribed_how: string | null
}

/** All of the mailing list's SQL. */
export const mailingRepository = {
  lists: (db: Executor) =>
    db.selectFrom('mailing_lists').selectAll().orderBy('created_at').orderBy('code').execute(),

  async addList(db: Executor, row: { id: string; code: string; created_at: string }) {
    await db
      .insertInto('mailing_lists')
      .values(row)
      .onConflict((oc) => oc.column('code').doNothing())
      .execute()
  },

  listByCode: (db: Executor, code: string) =>
    db.selectFrom('mailing_lists').selectAll().where('code', '=', code).executeTakeFirst(),

  async wordingId(
    db: Executor,
    row: { id: string; sha256: string; wording: string; first_shown_at: string },
  ) {
    await db
      .insertInto('mailing_wordings')
      .values(row)
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute()
    const found = await db
      .selectFrom('mailing_wordings')
      .select('id')
      .where('sha256', '=', row.sha256)
      .executeTakeFirstOrThrow()
    return found.id
  },

  subscriberByEmail: (db: Executor, email: string) =>
    db.selectFrom('mailing_subscribers').selectAll().where('email', '=', email).executeTakeFirst(),

  subscriber: (db: Executor, id: string) =>
    db.selectFrom('mailing_subscribers').selectAll().where('id', '=', id).executeTakeFirst(),

  async addSubscriber(db: Executor, row: MailingSubscriberRow) {
    await db
      .insertInto('mailing_subscribers')
      .values(row)
      .onConflict((oc) => oc.column('email').doNothing())
      .execute()
  },

  async setScore(db: Executor, id: string, score: number, stop: { reason: string; at: string } | null) {
    await db
      .updateTable('mailing_subscribers')
      .set(
        stop
          ? { bounce_score: score, stopped_reason: stop.reason, stopped_at: stop.at }
          : { bounce_score: score },
      )
      .where('id', '=', id)
      .execute()
  },

  async stop(db: Executor, id: string, reason: string, at: string) {
    await db
      .updateTable('mailing_subscribers')
      .set({ stopped_reason: reason, stopped_at: at })
      .where('id', '=', id)
      .execute()
  },

  /** A fresh confirmed consent: the mailbox works and its owner wants mail again. */
  async restart(db: Executor, id: string) {
    await db
      .updateTable('mailing_subscribers')
      .set({ bounce_score: 0, stopped_reason: null, stopped_at: null })
      .where('id', '=', id)
      .execute()
  },

  async addSignup(db: Executor, row: MailingSignupRow) {
    await db.insertInto('mailing_signups').values(row).execute()
  },

  signupByToken: (db: Executor, tokenHash: string) =>
    db.selectFrom('mailing_signups').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst(),

  /** Confirms a sign-up once: of two confirmations at the same moment exactly one changes the row. */
  async confirmSignup(db: Executor, id: string, at: string, ip: string | null): Promise<boolean> {
    const result = await db
      .updateTable('mailing_signups')
      .set({ confirmed_at: at, confirmed_ip: ip })
      .where('id', '=', id)
      .where('confirmed_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },

  subscriptions: (db: Executor, subscriberId: string) =>
    db
      .selectFrom('mailing_subscriptions')
      .innerJoin('mailing_lists', 'mailing_lists.id', 'mailing_subscriptions.list_id')
      .select(['mailing_lists.code', 'mailing_subscriptions.status', 'mailing_subscriptions.list_id'])
      .where('subscriber_id', '=', subscriberId)
      .execute(),

  /** Subscribes (again): the row per subscriber and list keeps the latest consent. */
  async subscribe(db: Executor, row: MailingSubscriptionRow) {
    await db
      .insertInto('mailing_subscriptions')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['subscriber_id', 'list_id']).doUpdateSet({
          status: 'subscribed',
          signup_id: row.signup_id,
          subscribed_at: row.subscribed_at,
          unsubscribed_at: null,
          unsubscribed_how: null,
        }),
      )
      .execute()
  },

  async unsubscribe(db: Executor, subscriberId: string, listIds: string[], at: string, how: string) {
    if (listIds.length === 0) return 0
    const result = await db
      .updateTable('mailing_subscriptions')
      .set({ status: 'unsubscribed', unsubscribed_at: at, unsubscribed_how: how })
      .where('subscriber_id', '=', subscriberId)
      .where('list_id', 'in', listIds)
      .where('status', '=', 'subscribed')
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  },

  /** Who a bulletin to a list goes to: subscribed, and not stopped by bounces or a complaint. */
  activeSubscribers: (db: Executor, listId: string) =>
    db
      .selectFrom('mailing_subscriptions')
      .innerJoin('mailing_subscribers', 'mailing_subscribers.id', 'mailing_subscriptions.subscriber_id')
      .select(['mailing_subscribers.id', 'mailing_subscribers.email'])
      .where('mailing_subscriptions.list_id', '=', listId)
      .where('mailing_subscriptions.status', '=', 'subscribed')
      .where('mailing_subscribers.stopped_reason', 'is', null)
      .orderBy('mailing_subscribers.id')
      .execute(),

  /** Which of these addresses bounces or a complaint have stopped. */
  async stoppedAmong(db: Executor, emails: string[]): Promise<Set<string>> {
    const stopped = new Set<string>()
    for (let i = 0; i < emails.length; i += 1000) {
      const rows = await db
        .selectFrom('mailing_subscribers')
        .select('email')
        .where('email', 'in', emails.slice(i, i + 1000))
        .where('stopped_reason', 'is not', null)
        .execute()
      for (const r of rows) stopped.add(r.email)
    }
    return stopped
  },

  /** Subscribers per list, for the partnership lead. */
  counts: (db: Executor) =>
    db
      .selectFrom('mailing_lists')
      .leftJoin('mailing_subscriptions', (join) =>
        join
          .onRef('mailing_subscriptions.list_id', '=', 'mailing_lists.id')
          .on('mailing_subscriptions.status', '=', 'subscribed'),
      )
      .select((eb) => [
        'mailing_lists.id',
        'mailing_lists.code',
        eb.fn.count<number>('mailing_subscriptions.id').as('subscribed'),
      ])
      .groupBy(['mailing_lists.id', 'mailing_lists.code'])
      .orderBy('mailing_lists.code')
      .execute(),
}

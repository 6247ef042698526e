import { randomBytes } from 'node:crypto'
import type { AuditContext } from '#platform/audit.ts'
import { addMinutes, nowIso } from '#platform/clock.ts'
import type { Executor } from '#platform/database.ts'
import { Invalid } from '#platform/errors.ts'
import { sha256 } from '#platform/hash.ts'
import { newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { mailingRepository as repo } from './mailing-list.repository.ts'
import {
  addressProblem,
  type BounceKind,
  isListCode,
  LIST_CODES,
  type LinkPurpose,
  normaliseEmail,
  scoreAfter,
  signLink,
  verifyLink,
} from './mailing-rules.ts'

/** What a confirmation link finds: a sign-up to confirm, one already confirmed, one too old, or nothing. */
export type ConfirmationState = 'ready' | 'used' | 'expired' | 'unknown'

/**
 * The public mailing list: sign-up with double opt-in and its proof of consent, unsubscribing (a link,
 * the mail program's one click, or the manage page), bounces and complaints.
 */
export function mailingListService(
  platform: Platform,
  opts: { confirmHours: number; listName: (code: string) => string },
) {
  const { database, audit, outbox, config } = platform
  const { db } = database
  const secret = config.sessionSecret

  const link = (purpose: LinkPurpose, payload: string) => signLink(secret, purpose, payload)
  const urls = {
    unsubscribe: (subscriberId: string, code: string) =>
      `${config.publicUrl}/unsubscribe/${link('unsubscribe', `${subscriberId}.${code}`)}`,
    manage: (subscriberId: string) => `${config.publicUrl}/subscriptions/${link('manage', subscriberId)}`,
  }

  async function listIds(tx: Executor, codes: readonly string[]) {
    const lists = await repo.lists(tx)
    return lists.filter((l) => codes.includes(l.code))
  }

  /** Records the wording shown, once per version, and a sign-up for these lists. */
  async function newSignup(
    tx: Executor,
    subscriberId: string,
    codes: string[],
    consent: { wording: string; ip: string | null },
    confirmed: boolean,
  ) {
    const now = nowIso()
    const wordingId = await repo.wordingId(tx, {
      id: newId(),
      sha256: sha256(consent.wording),
      wording: consent.wording,
      first_shown_at: now,
    })
    const token = randomBytes(32).toString('base64url')
    const id = newId()
    await repo.addSignup(tx, {
      id,
      subscriber_id: subscriberId,
      list_codes_json: codes,
      wording_id: wordingId,
      signed_up_at: now,
      signed_up_ip: consent.ip,
      token_hash: sha256(token),
      expires_at: addMinutes(now, opts.confirmHours * 60),
      confirmed_at: confirmed ? now : null,
      confirmed_ip: confirmed ? consent.ip : null,
    })
    return { id, token }
  }

  async function subscribeTo(tx: Executor, subscriberId: string, signupId: string, codes: string[]) {
    const now = nowIso()
    for (const list of await listIds(tx, codes))
      await repo.subscribe(tx, {
        id: newId(),
        subscriber_id: subscriberId,
        list_id: list.id,
        signup_id: signupId,
        status: 'subscribed',
        subscribed_at: now,
        unsubscribed_at: null,
        unsubscribed_how: null,
      })
  }

  return {
    urls,

    /** The lists, loaded at every start. */
    async loadLists() {
      for (const code of LIST_CODES) await repo.addList(db, { id: newId(), code, created_at: nowIso() })
    },

    /**
     * A sign-up asks the address's owner to confirm by email: the same answer whether or not the address
     * is known, so the page never tells anyone who is on a list.
     */
    async signUp(
      ctx: AuditContext,
      input: { email: string; lists: string[]; wording: string },
    ): Promise<void> {
      const problem = addressProblem(input.email)
      if (problem) throw new Invalid(`partnership.mailing.errors.email-${problem}`, 'email')
      const codes = input.lists.filter(isListCode)
      if (codes.length === 0) throw new Invalid('partnership.mailing.errors.listsMissing', 'lists')
      const email = normaliseEmail(input.email)
      await db.transaction().execute(async (tx) => {
        await repo.addSubscriber(tx, {
          id: newId(),
          email,
          bounce_score: 0,
          stopped_reason: null,
          stopped_at: null,
          created_at: nowIso(),
        })
        const subscriber = await repo.subscriberByEmail(tx, email)
        if (!subscriber) throw new Error('subscriber not saved')
        const { id, token } = await newSignup(
          tx,
          subscriber.id,
          codes,
          { wording: input.wording, ip: ctx.ip },
          false,
        )
        await outbox.enqueue(tx, {
          channel: 'email',
          template: 'partnership-mailing-confirm',
          recipient: email,
          personalisation: {
            lists: codes.map(opts.listName).join('\n'),
            hours: String(opts.confirmHours),
            confirmUrl: `${config.publicUrl}/subscribe/confirm/${token}`,
          },
        })
        await audit.record(tx, ctx, {
          action: 'mailing.signed-up',
          recordType: 'mailing_signup',
          recordId: id,
        })
      })
    },

    /** What a confirmation link finds, without using it (a mail scanner opening the link changes nothing). */
    async confirmation(token: string): Promise<{ state: ConfirmationState; lists: string[] }> {
      const signup = await repo.signupByToken(db, sha256(token))
      if (!signup) return { state: 'unknown', lists: [] }
      const lists = signup.list_codes_json
      if (signup.confirmed_at) return { state: 'used', lists }
      if (signup.expires_at <= nowIso()) return { state: 'expired', lists }
      return { state: 'ready', lists }
    },

    /** Confirms a sign-up once; answers the state it found, `ready` when this call confirmed it. */
    async confirm(
      ctx: AuditContext,
      token: string,
    ): Promise<{ state: ConfirmationState; manageUrl?: string }> {
      return db.transaction().execute(async (tx) => {
        const signup = await repo.signupByToken(tx, sha256(token))
        if (!signup) return { state: 'unknown' as const }
        if (signup.confirmed_at) return { state: 'used' as const }
        if (signup.expires_at <= nowIso()) return { state: 'expired' as const }
        if (!(await repo.confirmSignup(tx, signup.id, nowIso(), ctx.ip))) return { state: 'used' as const }
        await subscribeTo(tx, signup.subscriber_id, signup.id, signup.list_codes_json)
        await repo.restart(tx, signup.subscriber_id)
        await audit.record(tx, ctx, {
          action: 'mailing.confirmed',
          recordType: 'mailing_signup',
          recordId: signup.id,
        })
        return { state: 'ready' as const, manageUrl: urls.manage(signup.subscriber_id) }
      })
    },

    /** The list an unsubscribe link is for, or null when the link has been changed. */
    unsubscribeLink(token: string): { subscriberId: string; code: string } | null {
      const payload = verifyLink(secret, 'unsubscribe', token)
      const [subscriberId = '', code = ''] = payload?.split('.') ?? []
      return payload && isListCode(code) ? { subscriberId, code } : null
    },

    /** Unsubscribes at once; doing it twice is the same as once. False when the link has been changed. */
    async unsubscribe(ctx: AuditContext, token: string, how: 'link' | 'one-click'): Promise<boolean> {
      const target = this.unsubscribeLink(token)
      if (!target) return false
      await db.transaction().execute(async (tx) => {
        const ids = (await listIds(tx, [target.code])).map((l) => l.id)
        const changed = await repo.unsubscribe(tx, target.subscriberId, ids, nowIso(), how)
        if (changed)
          await audit.record(tx, ctx, {
            action: `mailing.unsubscribed.${how}`,
            recordType: 'mailing_subscriber',
            recordId: target.subscriberId,
          })
      })
      return true
    },

    /** The subscriber a manage link is for, with each list and whether they get it; null for a changed link. */
    async manage(token: string) {
      const subscriberId = verifyLink(secret, 'manage', token)
      const subscriber = subscriberId ? await repo.subscriber(db, subscriberId) : undefined
      if (!subscriber) return null
      const rows = await repo.subscriptions(db, subscriber.id)
      const on = new Set(rows.filter((r) => r.status === 'subscribed').map((r) => r.code))
      return {
        email: subscriber.email,
        stopped: subscriber.stopped_reason,
        lists: LIST_CODES.map((code) => ({ code, subscribed: on.has(code) })),
      }
    },

    /**
     * The lists a subscriber chose on the manage page. The page came by email, so its link proves the
     * mailbox: lists added here are confirmed at once, with their own proof of consent.
     */
    async changeLists(ctx: AuditContext, token: string, chosen: string[], wording: string): Promise<boolean> {
      const subscriberId = verifyLink(secret, 'manage', token)
      if (!subscriberId) return false
      return db.transaction().execute(async (tx) => {
        if (!(await repo.subscriber(tx, subscriberId))) return false
        const rows = await repo.subscriptions(tx, subscriberId)
        const on = new Set(rows.filter((r) => r.status === 'subscribed').map((r) => r.code))
        const codes = chosen.filter(isListCode)
        const added = codes.filter((c) => !on.has(c))
        const dropped = rows.filter((r) => r.status === 'subscribed' && !(codes as string[]).includes(r.code))
        if (added.length) {
          const { id } = await newSignup(tx, subscriberId, added, { wording, ip: ctx.ip }, true)
          await subscribeTo(tx, subscriberId, id, added)
        }
        await repo.unsubscribe(
          tx,
          subscriberId,
          dropped.map((r) => r.list_id),
          nowIso(),
          'manage',
        )
        if (added.length || dropped.length)
          await audit.record(tx, ctx, {
            action: 'mailing.lists-changed',
            recordType: 'mailing_subscriber',
            recordId: subscriberId,
          })
        return true
      })
    },

    /** A bounce or a delivery moves the subscriber's score; reaching the limit stops sending to them. */
    async recordDelivery(tx: Executor, subscriberId: string, event: BounceKind | 'delivered') {
      const subscriber = await repo.subscriber(tx, subscriberId)
      if (!subscriber) return
      const { score, stop } = scoreAfter(subscriber.bounce_score, event)
      if (score === subscriber.bounce_score && !stop) return
      const stopping = stop && !subscriber.stopped_reason ? { reason: 'bounced', at: nowIso() } : null
      await repo.setScore(tx, subscriberId, score, stopping)
    },

    /** A complaint (marked as spam) stops every list's sending to them at once. */
    async recordComplaint(tx: Executor, ctx: AuditContext, subscriberId: string) {
      await repo.stop(tx, subscriberId, 'complaint', nowIso())
      await audit.record(tx, ctx, {
        action: 'mailing.complaint',
        recordType: 'mailing_subscriber',
        recordId: subscriberId,
      })
    },

    /**
     * An address on no list (a meeting's attendee) that bounced for good or complained: kept as a stopped
     * subscriber with no lists, so nothing more goes to it until its owner signs up and confirms.
     */
    async suppress(tx: Executor, email: string, reason: 'bounced' | 'complaint') {
      const now = nowIso()
      await repo.addSubscriber(tx, {
        id: newId(),
        email: normaliseEmail(email),
        bounce_score: 0,
        stopped_reason: reason,
        stopped_at: now,
        created_at: now,
      })
    },

    subscriberByEmail: (tx: Executor, email: string) => repo.subscriberByEmail(tx, normaliseEmail(email)),
    stoppedAmong: (tx: Executor, emails: string[]) =>
      emails.length ? repo.stoppedAmong(tx, emails) : Promise.resolve(new Set<string>()),
    activeSubscribers: (tx: Executor, listId: string) => repo.activeSubscribers(tx, listId),
    lists: (tx: Executor = db) => repo.lists(tx),
    listByCode: (tx: Executor, code: string) => repo.listByCode(tx, code),
    counts: () => repo.counts(db),
  }
}

export type MailingListService = ReturnType<typeof mailingListService>

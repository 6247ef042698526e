import { requirePermission, type StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import type { Tx } from '#platform/database.ts'
import { Conflict, Invalid, NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import { renderMessage } from '#platform/messages.ts'
import type { Platform } from '#platform/platform.ts'
import {
  type Audience,
  type BulletinRow,
  type RecipientStatus,
  bulletinRepository as repo,
} from './bulletin.repository.ts'
import { directRecipientRepository as direct } from './bulletin-direct.repository.ts'
import { type ClosedMinutes, draftFromMinutes, longDate } from './bulletin-format.ts'
import type { MailingListService } from './mailing-list.service.ts'
import { type BounceKind, bounceKindOf, isListCode } from './mailing-rules.ts'
import { meetingRepository } from './meeting.repository.ts'
import type { AttendeeAddresses } from './meeting-audience.ts'

/** Whom a bulletin is sent to: its list, or a meeting's attendees (its own meeting unless one is chosen). */
export interface SendTo {
  audience: Audience
  meetingId?: string | null
}

/** What the outbox did with a recipient's message, as their status; and the bounce it was, if one. */
function settled(row: { outbox_status: string; last_error: string | null }): {
  status: RecipientStatus
  bounce: BounceKind | 'delivered' | null
} {
  const bounce = bounceKindOf(row.last_error)
  if (row.outbox_status === 'sent') return { status: 'sent', bounce: 'delivered' }
  if (bounce === 'hard') return { status: 'bounced', bounce }
  if (row.outbox_status === 'parked') return { status: 'failed', bounce: null }
  return { status: 'deferred', bounce }
}

export interface BulletinInput {
  title: string
  body: string
  list: string
}

/** The list a bulletin goes to when nobody has chosen one yet (a draft from minutes). */
const DEFAULT_LIST = 'partners-news'

/**
 * Bulletins: drafted by hand or from a meeting's closed minutes, previewed as the email, sent to a list
 * through the outbox (whose worker keeps to the provider's rate), each recipient's delivery followed.
 */
export function bulletinService(
  platform: Platform,
  deps: { mailing: MailingListService; listName: (code: string) => string; attendees: AttendeeAddresses },
) {
  const { database, audit, outbox, config } = platform
  const { db } = database
  const { mailing } = deps

  async function listId(tx: Tx | typeof db, code: string) {
    const list = isListCode(code) ? await mailing.listByCode(tx, code) : undefined
    if (!list) throw new Invalid('partnership.bulletins.errors.listMissing', 'list')
    return list.id
  }

  async function found(id: string): Promise<BulletinRow & { list: string }> {
    const bulletin = isUuid(id) ? await repo.find(db, id) : undefined
    if (!bulletin) throw new NotFound()
    const lists = await mailing.lists()
    return { ...bulletin, list: lists.find((l) => l.id === bulletin.list_id)?.code ?? DEFAULT_LIST }
  }

  /** The email one recipient gets, from its personalisation: the preview uses the very same template. */
  function personalisation(bulletin: BulletinRow, list: string, subscriberId: string) {
    return {
      title: bulletin.title,
      body: bulletin.body,
      listName: deps.listName(list),
      webUrl: `${config.publicUrl}/bulletins/${bulletin.id}`,
      unsubscribeUrl: mailing.urls.unsubscribe(subscriberId, list),
      oneClickUrl: `${mailing.urls.unsubscribe(subscriberId, list)}/one-click`,
      manageUrl: mailing.urls.manage(subscriberId),
    }
  }

  /**
   * Sends a draft to a meeting's attendees, who are on no list: no unsubscribe link, but a line saying why
   * they got it. Addresses stopped by bounces or a complaint are left out, as on a list.
   */
  async function sendToAttendees(user: StaffUser, ctx: AuditContext, id: string, to: SendTo) {
    const bulletin = isUuid(id) ? await repo.find(db, id) : undefined
    if (!bulletin) throw new NotFound()
    if (bulletin.status !== 'draft') throw new Conflict('partnership.bulletins.errors.alreadySent')
    const meetingId = to.meetingId || bulletin.meeting_id
    const found = meetingId
      ? await deps.attendees(meetingId, to.audience === 'attendees-and-apologies')
      : null
    if (!found) throw new Invalid('partnership.bulletins.errors.meetingMissing', 'meeting')
    return db.transaction().execute(async (tx) => {
      const now = nowIso()
      const sent = { audience: to.audience, meetingId: found.meeting.id }
      if (!(await repo.markSent(tx, id, user.id, now, sent)))
        throw new Conflict('partnership.bulletins.errors.alreadySent')
      const stopped = await mailing.stoppedAmong(
        tx,
        found.people.map((p) => p.email),
      )
      const people = found.people.filter((p) => !stopped.has(p.email))
      const outboxIds = await outbox.enqueueMany(
        tx,
        people.map((p) => ({
          channel: 'email' as const,
          template: 'partnership-bulletin-attendees',
          recipient: p.email,
          personalisation: {
            title: bulletin.title,
            body: bulletin.body,
            webUrl: `${config.publicUrl}/bulletins/${bulletin.id}`,
            meetingTitle: found.meeting.title,
            meetingDate: longDate(found.meeting.heldOn),
            attendance: p.attendance,
            subscribeUrl: `${config.publicUrl}/subscribe`,
          },
        })),
      )
      await direct.add(
        tx,
        people.map((p, i) => ({
          id: newId(),
          bulletin_id: id,
          email: p.email,
          name: p.name,
          user_id: p.userId,
          contact_id: p.contactId,
          attendance: p.attendance,
          outbox_id: outboxIds[i] as string,
          status: 'queued' as const,
          updated_at: now,
        })),
      )
      await audit.record(tx, ctx, { action: 'bulletin.sent', recordType: 'bulletin', recordId: id })
      return people.length
    })
  }

  return {
    /** The listener of `partnership.minutes-closed`: a draft in the same transaction as the closing. */
    async draftFromMinutes(tx: Tx, minutes: ClosedMinutes): Promise<string> {
      const { title, body } = draftFromMinutes(minutes)
      const id = newId()
      const now = nowIso()
      await repo.insert(tx, {
        id,
        title,
        body,
        status: 'draft',
        list_id: await listId(tx, DEFAULT_LIST),
        meeting_id: minutes.meetingId,
        created_by: null,
        created_at: now,
        updated_at: now,
        sent_by: null,
        sent_at: null,
        audience: null,
        audience_meeting_id: null,
      })
      return id
    },

    async list(user: StaffUser) {
      requirePermission(user, 'partnership.mailing')
      return repo.list(db)
    },

    async get(user: StaffUser, id: string) {
      requirePermission(user, 'partnership.mailing')
      return found(id)
    },

    async create(user: StaffUser, ctx: AuditContext, input: BulletinInput): Promise<string> {
      requirePermission(user, 'partnership.mailing')
      const id = newId()
      await db.transaction().execute(async (tx) => {
        const now = nowIso()
        await repo.insert(tx, {
          id,
          title: input.title,
          body: input.body,
          status: 'draft',
          list_id: await listId(tx, input.list),
          meeting_id: null,
          created_by: user.id,
          created_at: now,
          updated_at: now,
          sent_by: null,
          sent_at: null,
          audience: null,
          audience_meeting_id: null,
        })
        await audit.record(tx, ctx, { action: 'bulletin.created', recordType: 'bulletin', recordId: id })
      })
      return id
    },

    async update(user: StaffUser, ctx: AuditContext, id: string, input: BulletinInput): Promise<void> {
      requirePermission(user, 'partnership.mailing')
      await db.transaction().execute(async (tx) => {
        if (!isUuid(id) || !(await repo.find(tx, id))) throw new NotFound()
        const set = {
          title: input.title,
          body: input.body,
          list_id: await listId(tx, input.list),
          updated_at: nowIso(),
        }
        if (!(await repo.updateDraft(tx, id, set)))
          throw new Conflict('partnership.bulletins.errors.alreadySent')
        await audit.record(tx, ctx, {
          action: 'bulletin.changed',
          recordType: 'bulletin',
          recordId: id,
          fields: ['title', 'body', 'list'],
        })
      })
    },

    /** The email as a subscriber will get it, with example links in place of theirs. */
    async preview(user: StaffUser, id: string) {
      requirePermission(user, 'partnership.mailing')
      const bulletin = await found(id)
      const rendered = renderMessage(
        'partnership-bulletin',
        personalisation(bulletin, bulletin.list, 'example'),
      )
      return { bulletin, ...rendered }
    },

    /**
     * Sends a draft to everyone on its list who still gets mail, once: the bulletin, a row per recipient
     * and their outbox messages in one transaction. The worker sends them at the provider's rate.
     */
    async send(user: StaffUser, ctx: AuditContext, id: string, to: SendTo = { audience: 'list' }) {
      requirePermission(user, 'partnership.mailing')
      if (to.audience !== 'list') return sendToAttendees(user, ctx, id, to)
      return db.transaction().execute(async (tx) => {
        const bulletin = isUuid(id) ? await repo.find(tx, id) : undefined
        if (!bulletin) throw new NotFound()
        const now = nowIso()
        if (!(await repo.markSent(tx, id, user.id, now, { audience: 'list', meetingId: null })))
          throw new Conflict('partnership.bulletins.errors.alreadySent')
        const list = (await mailing.lists(tx)).find((l) => l.id === bulletin.list_id)
        if (!list) throw new Invalid('partnership.bulletins.errors.listMissing', 'list')
        const subscribers = await mailing.activeSubscribers(tx, list.id)
        const outboxIds = await outbox.enqueueMany(
          tx,
          subscribers.map((s) => ({
            channel: 'email' as const,
            template: 'partnership-bulletin',
            recipient: s.email,
            personalisation: personalisation(bulletin, list.code, s.id),
          })),
        )
        await repo.addRecipients(
          tx,
          subscribers.map((s, i) => ({
            id: newId(),
            bulletin_id: id,
            subscriber_id: s.id,
            outbox_id: outboxIds[i] as string,
            status: 'queued' as const,
            updated_at: now,
          })),
        )
        await audit.record(tx, ctx, { action: 'bulletin.sent', recordType: 'bulletin', recordId: id })
        return subscribers.length
      })
    },

    /**
     * What the send form offers: the list's subscribers, the meetings whose attendees it could go to, and
     * for a bulletin drafted from a meeting how many of its attendees (and apologies) have an address.
     */
    async sendChoices(user: StaffUser, bulletin: BulletinRow) {
      requirePermission(user, 'partnership.mailing')
      const meetings = await meetingRepository.listMeetings(db)
      const [attended, withApologies] = bulletin.meeting_id
        ? await Promise.all([
            deps.attendees(bulletin.meeting_id, false),
            deps.attendees(bulletin.meeting_id, true),
          ])
        : [null, null]
      return {
        meetings: meetings.map((m) => ({ id: m.id, title: m.title, heldOn: m.held_on })),
        attended: attended?.people.length ?? null,
        withApologies: withApologies?.people.length ?? null,
        meetingTitle: attended?.meeting.title ?? null,
      }
    },

    /** Per-recipient status: counts by status and a page of recipients. */
    async recipients(user: StaffUser, id: string, page: number) {
      requirePermission(user, 'partnership.mailing')
      const bulletin = await found(id)
      const size = 50
      const toList = !bulletin.audience || bulletin.audience === 'list'
      const [counts, rows] = await Promise.all([
        toList ? repo.recipientCounts(db, id) : direct.counts(db, id),
        toList
          ? repo.recipients(db, id, size, (page - 1) * size)
          : direct.page(db, id, size, (page - 1) * size),
      ])
      const total = counts.reduce((sum, c) => sum + Number(c.n), 0)
      return {
        counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])) as Partial<
          Record<RecipientStatus, number>
        >,
        rows: rows as ((typeof rows)[number] & { name?: string; attendance?: string })[],
        toList,
        total,
        pages: Math.max(1, Math.ceil(total / size)),
      }
    },

    /** A recipient reported the bulletin as spam (the provider told us): nothing more goes to them. */
    async recordComplaint(user: StaffUser, ctx: AuditContext, id: string, recipientId: string) {
      requirePermission(user, 'partnership.mailing')
      await db.transaction().execute(async (tx) => {
        const recipient =
          isUuid(id) && isUuid(recipientId) ? await repo.recipient(tx, id, recipientId) : undefined
        if (!recipient) throw new NotFound()
        await repo.setStatus(tx, recipient.id, 'complained', nowIso())
        await mailing.recordComplaint(tx, ctx, recipient.subscriber_id)
      })
    },

    /** A sent bulletin's public web version; drafts are not public. */
    async published(id: string) {
      const bulletin = isUuid(id) ? await repo.find(db, id) : undefined
      if (!bulletin || bulletin.status !== 'sent') throw new NotFound()
      return bulletin
    },

    /**
     * Follows what the outbox did with each recipient's message, and scores list subscribers' bounces:
     * delivered clears a score, a lasting refusal stops them, a passing one counts a point. People on no
     * list only have their status followed. Answers how many moved.
     */
    async followDeliveries(limit = 2000): Promise<number> {
      return db.transaction().execute(async (tx) => {
        const now = nowIso()
        const moved = new Map<RecipientStatus, string[]>()
        const rows = await repo.unsettled(tx, limit)
        for (const row of rows) {
          const { status, bounce } = settled(row)
          if (bounce) await mailing.recordDelivery(tx, row.subscriber_id, bounce)
          moved.set(status, (moved.get(status) ?? []).concat(row.id))
        }
        for (const [status, ids] of moved) await repo.setStatuses(tx, ids, status, now)
        const others = await direct.unsettled(tx, limit)
        const movedOthers = new Map<RecipientStatus, string[]>()
        for (const row of others) {
          const { status } = settled(row)
          movedOthers.set(status, (movedOthers.get(status) ?? []).concat(row.id))
        }
        for (const [status, ids] of movedOthers) await direct.setStatuses(tx, ids, status, now)
        return rows.length + others.length
      })
    },
  }
}

export type BulletinService = ReturnType<typeof bulletinService>

import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import type { Executor } from '#platform/database.ts'
import { sha256 } from '#platform/hash.ts'
import { newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import type { RecipientStatus } from './bulletin.repository.ts'
import { mailReportRepository as repo } from './mail-reports.repository.ts'
import { type MailReport, messagesIn, reportsIn } from './mail-reports.ts'
import type { MailingListService } from './mailing-list.service.ts'
import { normaliseEmail } from './mailing-rules.ts'

export interface ReportsApplied {
  /** Reports acted on. */
  applied: number
  /** Reports seen before: counted once, the first time. */
  repeated: number
  /** Of those applied, reports about an address the Hub never sent a bulletin to. */
  unknown: number
}

/** Reports in one transaction: a large mailbox of reports does not hold the database for long. */
const CHUNK = 200

/**
 * Bounces and complaints that providers report after the SMTP exchange, by webhook or in a mailbox of
 * delivery status notifications and feedback reports: scored as the SMTP replies are (a hard bounce stops
 * sending, a soft one counts a point), a complaint stops every list; the latest bulletin's recipient row
 * says so.
 */
export function mailReportService(platform: Platform, deps: { mailing: MailingListService }) {
  const { db } = platform.database
  const { mailing } = deps

  async function applyOne(tx: Executor, ctx: AuditContext, report: MailReport, source: string) {
    const email = normaliseEmail(report.email)
    const kind = report.type === 'bounce' ? (report.bounceType ?? 'hard') : null
    const at = new Date(report.at).toISOString()
    const subscriber = await mailing.subscriberByEmail(tx, email)
    const kept = await repo.keep(tx, {
      id: newId(),
      key_sha256: sha256(`${email}|${report.type}|${kind ?? ''}|${at}`),
      subscriber_id: subscriber?.id ?? null,
      type: report.type,
      bounce_kind: kind,
      source,
      reported_at: at,
      received_at: nowIso(),
    })
    if (!kept) return 'repeated' as const
    const status: RecipientStatus | null =
      report.type === 'complaint' ? 'complained' : kind === 'hard' ? 'bounced' : null
    const now = nowIso()
    const attendee = await repo.latestToAttendee(tx, email)
    if (attendee && status) await repo.setAttendeeRecipient(tx, attendee.id, status, now)
    if (!subscriber) {
      if (!attendee) return 'unknown' as const
      if (status) await mailing.suppress(tx, email, status === 'complained' ? 'complaint' : 'bounced')
      return 'applied' as const
    }
    if (kind) await mailing.recordDelivery(tx, subscriber.id, kind)
    else await mailing.recordComplaint(tx, ctx, subscriber.id)
    const latest = await repo.latestToSubscriber(tx, subscriber.id)
    if (latest && status) await repo.setSubscriberRecipient(tx, latest.id, status, now)
    return 'applied' as const
  }

  async function apply(reports: MailReport[], source: 'webhook' | 'file', ctx: AuditContext) {
    const result: ReportsApplied = { applied: 0, repeated: 0, unknown: 0 }
    for (let i = 0; i < reports.length; i += CHUNK)
      await db.transaction().execute(async (tx) => {
        for (const report of reports.slice(i, i + CHUNK)) {
          const outcome = await applyOne(tx, ctx, report, source)
          if (outcome === 'repeated') result.repeated++
          else result.applied++
          if (outcome === 'unknown') result.unknown++
        }
      })
    return result
  }

  return {
    /** The one way in for every report, whether from a provider's webhook or a mailbox. */
    apply,

    /** The reports in an mbox or a single message (.eml), applied; other messages in it are skipped. */
    async fromMailbox(text: string, ctx: AuditContext) {
      const messages = messagesIn(text)
      const reports = messages.flatMap(reportsIn)
      return { messages: messages.length, reports: reports.length, ...(await apply(reports, 'file', ctx)) }
    },
  }
}

export type MailReportService = ReturnType<typeof mailReportService>

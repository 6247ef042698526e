import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import type { Platform } from '#platform/platform.ts'
import { formatDate } from '#platform/views.ts'
import { queueRepository } from './queue.repository.ts'
import { referralWords } from './referral.labels.ts'
import { englishTranslator } from './referral.notices.ts'
import { referralRepository as repo } from './referral.repository.ts'
import { formatReference, workingDaysBefore } from './referral.ts'
import type { ReferralRules } from './rules.ts'

/** Requests a digest lists, oldest first; the queue's stale filter shows the rest. */
const LISTED = 50
/** Counted exactly up to this, as the queue counts; "more than" beyond. */
const COUNTED = 1000

/**
 * The daily list, to each team's lead, of open requests not updated for the configured working
 * days: the oldest by reference, and how many there are. Sent once per team per day however often it
 * is called; a team whose digest has gone today is not read again.
 */
export async function sendStaleDigest(
  platform: Platform,
  deps: { rules: ReferralRules; staleWorkingDays: number },
  now = new Date(),
): Promise<{ teams: number; needs: number }> {
  const { database, outbox, config } = platform
  const { db } = database
  const { rules } = deps
  const before = workingDaysBefore(now, deps.staleWorkingDays, rules.bankHolidays).toISOString()
  const day = now.toISOString().slice(0, 10)
  const sentToday = await repo.digestsSent(db, day)
  const boroughIds = new Map((await listBoroughs(db)).map((b) => [b.code, b.id]))
  // A team lead reads words and dates, not codes: as the queue shows them.
  const words = referralWords(englishTranslator(config.APP_ROOT))
  let teams = 0
  let needs = 0
  for (const team of rules.teams) {
    if (sentToday.has(team.code)) continue
    const stale = await queueRepository.staleForTeam(db, team.code, before, LISTED, COUNTED)
    if (!stale.total) continue
    needs += stale.total
    const count = stale.more ? `More than ${COUNTED.toLocaleString('en-GB')}` : String(stale.total)
    const sent = await db.transaction().execute(async (tx) => {
      if (!(await repo.claimDigest(tx, team.code, day, nowIso()))) return false
      await outbox.enqueue(tx, {
        channel: 'email',
        template: 'referral-stale-digest',
        recipient: team.leadEmail,
        boroughId: boroughIds.get(team.borough) ?? null,
        personalisation: {
          serviceName: config.SERVICE_NAME,
          teamName: team.name,
          count,
          // Only when the list is cut short: says the list is the oldest, not all.
          listed: stale.total > stale.rows.length ? String(stale.rows.length) : '',
          days: String(deps.staleWorkingDays),
          list: stale.rows
            .map(
              (n) =>
                `${formatReference(n.reference)}  ${words.kind(n.kind)}  ${words.state(n.status)}  since ${formatDate(n.updated_at)}`,
            )
            .join('\n'),
          link: `${config.publicUrl}/staff/referrals?stale=1`,
        },
      })
      return true
    })
    if (sent) teams++
  }
  return { teams, needs }
}

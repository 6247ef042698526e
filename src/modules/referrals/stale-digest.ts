import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import type { Platform } from '#platform/platform.ts'
import { queueRepository } from './queue.repository.ts'
import { referralRepository as repo } from './referral.repository.ts'
import { formatReference, workingDaysBefore } from './referral.ts'
import type { ReferralRules } from './rules.ts'

/**
 * The daily list, to each team's lead, of open requests not updated for the configured working
 * days. References and counts only. Sent once per team per day however often it is called.
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
  const stale = await queueRepository.staleNeeds(db, before)
  const boroughIds = new Map((await listBoroughs(db)).map((b) => [b.code, b.id]))
  let teams = 0
  for (const team of rules.teams) {
    const mine = stale.filter((n) => n.team_code === team.code)
    if (!mine.length) continue
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
          count: String(mine.length),
          days: String(deps.staleWorkingDays),
          list: mine
            .map(
              (n) =>
                `${formatReference(n.reference)}  ${n.kind}  ${n.status}  since ${n.updated_at.slice(0, 10)}`,
            )
            .join('\n'),
          link: `${config.publicUrl}/staff/referrals?stale=1`,
        },
      })
      return true
    })
    if (sent) teams++
  }
  return { teams, needs: stale.length }
}

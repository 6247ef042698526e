import { addDays, londonToday } from '#platform/london.ts'
import type { Platform } from '#platform/platform.ts'
import { memberRepository as repo } from './member.repository.ts'

/**
 * Emails the Home Library staff of each temporary member's borough `days` before the member's review date
 * (or at once, when it is nearer): once per review date, the messages and the mark in one transaction.
 * Answers how many members were reminded.
 */
export async function sendReviewReminders(
  platform: Platform,
  staffOf: (boroughId: string) => Promise<{ email: string }[]>,
  days: number,
  today = londonToday(),
): Promise<number> {
  const { db } = platform.database
  const due = await repo.reviewsToRemind(db, addDays(today, days))
  // Each borough's staff are asked for once a run, however many of its members are due.
  const staffByBorough = new Map<string, Promise<{ email: string }[]>>()
  for (const member of due) {
    let staff = staffByBorough.get(member.borough_id)
    if (!staff) {
      staff = staffOf(member.borough_id)
      staffByBorough.set(member.borough_id, staff)
    }
    const emails = await staff
    await db.transaction().execute(async (tx) => {
      for (const { email } of emails)
        await platform.outbox.enqueue(tx, {
          channel: 'email',
          template: 'home-library-review-due',
          recipient: email,
          boroughId: member.borough_id,
          personalisation: {
            reviewOn: member.review_on,
            link: `${platform.config.publicUrl}/staff/home-library/members/${member.id}`,
          },
        })
      await repo.markReviewReminded(tx, member.id, member.review_on)
    })
  }
  return due.length
}

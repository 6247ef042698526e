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
  for (const member of due) {
    const staff = await staffOf(member.borough_id)
    await db.transaction().execute(async (tx) => {
      for (const { email } of staff)
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

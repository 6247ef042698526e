import type { ModuleEvents } from '#platform/events.ts'
import type { BulletinService } from './bulletin.service.ts'

/** Closing a meeting's minutes drafts its follow-up bulletin, in the same transaction. */
export function draftBulletinsFromMinutes(events: ModuleEvents, bulletins: BulletinService): void {
  events.on('partnership.minutes-closed', async (tx, minutes) => {
    await bulletins.draftFromMinutes(tx, minutes)
  })
}

import type { ModuleEvents } from '#platform/events.ts'
import type { BulletinService } from './bulletin.service.ts'
import type { ClosedMinutes } from './bulletin-format.ts'

declare module '#platform/events.ts' {
  interface HubEvents {
    /** A meeting's minutes were closed: its decisions and the actions meant for partners. */
    'partnership.minutes-closed': ClosedMinutes
  }
}

/** Closing a meeting's minutes drafts its follow-up bulletin, in the same transaction. */
export function draftBulletinsFromMinutes(events: ModuleEvents, bulletins: BulletinService): void {
  events.on('partnership.minutes-closed', async (tx, minutes) => {
    await bulletins.draftFromMinutes(tx, minutes)
  })
}

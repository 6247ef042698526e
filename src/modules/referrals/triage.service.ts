import { nowIso } from '#platform/clock.ts'
import type { Tx } from '#platform/database.ts'
import type { ModuleEvents } from '#platform/events.ts'
import { newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import type { AccountService } from '../accounts/index.ts'
import type { PersonService } from '../people/index.ts'
import { caseNotesService } from './case-notes.service.ts'
import { caseOwnershipService } from './case-ownership.service.ts'
import { caseViewService } from './case-view.service.ts'
import { needStatusService } from './need-status.service.ts'
import { referralRepository as repo } from './referral.repository.ts'
import type { ReferralService } from './referral.service.ts'
import { workingDaysBefore } from './referral.ts'
import type { ReferralRules } from './rules.ts'
import { sendStaleDigest } from './stale-digest.ts'
import { triageQueueService } from './triage-queue.service.ts'

/** Use cases of staff: the queue, the case, each need's state, contact attempts, notes, assignment, transfer. */
export function triageService(
  platform: Platform,
  deps: {
    people: PersonService
    rules: ReferralRules
    referrals: ReferralService
    /** Who the officers are: accounts owns users, so it is asked, never its tables. */
    accounts: Pick<AccountService, 'triageOfficers'>
    staleWorkingDays: number
    events: ModuleEvents
  },
) {
  const { rules } = deps

  function staleBefore(now = new Date()): string {
    return workingDaysBefore(now, deps.staleWorkingDays, rules.bankHolidays).toISOString()
  }

  return {
    ...caseOwnershipService(platform, deps),
    ...triageQueueService(platform, { ...deps, staleBefore }),
    ...caseViewService(platform, { ...deps, staleBefore }),
    ...needStatusService(platform, deps),
    ...caseNotesService(platform, deps),
    staleBefore,

    /** Inside a person merge: the referrals of the merged record follow it. */
    async followMerge(tx: Tx, fromId: string, toId: string): Promise<void> {
      const moved = await repo.repointPerson(tx, fromId, toId)
      for (const referralId of moved)
        await repo.insertEvent(tx, {
          id: newId(),
          referral_id: referralId,
          need_id: null,
          kind: 'person-merged',
          from_status: null,
          to_status: null,
          outcome: null,
          detail_json: { from: fromId, to: toId },
          note: null,
          user_id: null,
          user_name: null,
          at: nowIso(),
        })
    },

    sendStaleDigest: (now?: Date) =>
      sendStaleDigest(platform, { rules, staleWorkingDays: deps.staleWorkingDays }, now),
  }
}

export type TriageService = ReturnType<typeof triageService>

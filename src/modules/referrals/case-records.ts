import { requireInScope, type StaffUser } from '#platform/access.ts'
import { nowIso } from '#platform/clock.ts'
import type { Db, Executor, Tx } from '#platform/database.ts'
import { NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import { type EventTable, type ReferralTable, referralRepository as repo } from './referral.repository.ts'

/** What every staff use case on a case needs: the case, checked against the caller's boroughs, and its history. */
export function caseRecords(db: Db) {
  /** The referral, if it exists and lies in the caller's boroughs; otherwise it does not exist. */
  async function caseInScope(user: StaffUser, id: string, tx: Executor = db): Promise<ReferralTable> {
    const row = isUuid(id) ? await repo.findById(tx, id) : undefined
    if (!row) throw new NotFound()
    requireInScope(user, row.borough_id)
    return row
  }

  /** A line of the case's history; what a kind of event does not have is left empty. */
  async function event(
    tx: Tx,
    user: StaffUser,
    row: Pick<EventTable, 'referral_id' | 'kind'> &
      Partial<Omit<EventTable, 'id' | 'at' | 'user_id' | 'user_name'>>,
  ) {
    await repo.insertEvent(tx, {
      need_id: null,
      from_status: null,
      to_status: null,
      outcome: null,
      detail_json: null,
      note: null,
      ...row,
      id: newId(),
      at: nowIso(),
      user_id: user.id,
      user_name: user.name,
    })
  }

  return { caseInScope, event }
}

import { requirePermission, type StaffUser } from '#platform/access.ts'
import { NotFound } from '#platform/errors.ts'
import type { Platform } from '#platform/platform.ts'
import { type ActionFilter, openActionsRepository as repo } from './open-actions.repository.ts'

/** Actions a page of the filtered list shows. */
export const ACTIONS_PAGE_SIZE = 25

/** The open actions of one owner or one organisation, across meetings, a page at a time. */
export function openActionsService(platform: Platform) {
  const { db } = platform.database
  return {
    async of(user: StaffUser, filter: ActionFilter, page: number) {
      requirePermission(user, 'partnership.view')
      const name = await repo.name(db, filter)
      if (name === undefined) throw new NotFound()
      const [actions, total] = await Promise.all([
        repo.page(db, filter, ACTIONS_PAGE_SIZE, (page - 1) * ACTIONS_PAGE_SIZE),
        repo.count(db, filter),
      ])
      return { name, filter, actions, total, page, pages: Math.max(1, Math.ceil(total / ACTIONS_PAGE_SIZE)) }
    },
  }
}

export type OpenActionsService = ReturnType<typeof openActionsService>

import { requirePermission, type StaffUser } from '#platform/access.ts'
import type { Executor } from '#platform/database.ts'
import { NotFound } from '#platform/errors.ts'
import type { Platform } from '#platform/platform.ts'
import { VersionedCache } from '#platform/versioned-cache.ts'
import { type ActionFilter, openActionsRepository as repo } from './open-actions.repository.ts'

/** Actions a page of the filtered list shows. */
export const ACTIONS_PAGE_SIZE = 25

/** Pages kept per process: a lead reads a few owners' lists again and again between two writes. */
const KEPT_PAGES = 500

type Shown = NonNullable<Awaited<ReturnType<typeof read>>>

async function read(db: Executor, filter: ActionFilter, page: number) {
  const [summary, actions] = await Promise.all([
    repo.summary(db, filter),
    repo.page(db, filter, ACTIONS_PAGE_SIZE, (page - 1) * ACTIONS_PAGE_SIZE),
  ])
  if (!summary) return undefined
  const { name, total } = summary
  return { name, filter, actions, total, page, pages: Math.max(1, Math.ceil(total / ACTIONS_PAGE_SIZE)) }
}

/**
 * The open actions of one owner or one organisation, across meetings, a page at a time. Pages read are kept
 * for the version of the actions data they were read at (one primary-key read a request); any write to
 * actions, owners or meetings moves the version and they are read again. A page depends only on its filter
 * and number: the partnership is of both boroughs, and every reader needs `partnership.view`.
 */
export function openActionsService(platform: Platform) {
  const { db } = platform.database
  const kept = new VersionedCache<Shown>(KEPT_PAGES)

  return {
    async of(user: StaffUser, filter: ActionFilter, page: number) {
      requirePermission(user, 'partnership.view')
      const version = await repo.version(db)
      return kept.get(version, `${filter.kind}:${filter.id}:${page}`, async () => {
        const shown = await read(db, filter, page)
        if (!shown) throw new NotFound()
        return shown
      })
    },
  }
}

export type OpenActionsService = ReturnType<typeof openActionsService>

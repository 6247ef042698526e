import { randomBytes } from 'node:crypto'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { addMinutes, nowIso } from '#platform/clock.ts'
import { Invalid } from '#platform/errors.ts'
import { sha256 } from '#platform/hash.ts'
import { newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import type { AccountService } from '../accounts/index.ts'
import type { DirectoryService } from '../directory/index.ts'
import { volunteerRepository as repo } from './volunteer.repository.ts'
import { APPLY_ORDER, APPLY_PAGES, type Application, type ApplyPage } from './volunteers.schemas.ts'

/** An application left half-done is forgotten after a day. */
const DRAFT_MINUTES = 24 * 60

export type Answers = Partial<Record<ApplyPage, Record<string, unknown>>>

/**
 * Applying to volunteer with no account, one question a page: answers wait in a draft under a random
 * token (its hash stored, the token in a signed cookie); sending makes the volunteer record, tells the
 * borough's coordinators and thanks the applicant, all in one transaction.
 */
export function applicationService(
  platform: Platform,
  deps: {
    accounts: Pick<AccountService, 'emailsFor'>
    directory: Pick<DirectoryService, 'listLibraries'>
  },
) {
  const { database, audit, outbox, config } = platform
  const { db } = database

  /** The first page not yet answered, or null when every page is. */
  function firstUnanswered(answers: Answers): ApplyPage | null {
    return APPLY_ORDER.find((p) => !answers[p]) ?? null
  }

  /** Every answer checked again, as one application, or the first page to go back to. */
  function complete(answers: Answers): Application | ApplyPage {
    const merged: Record<string, unknown> = {}
    for (const page of APPLY_ORDER) {
      const parsed = APPLY_PAGES[page].safeParse(answers[page])
      if (!parsed.success) return page
      Object.assign(merged, parsed.data)
    }
    return merged as unknown as Application
  }

  return {
    async start(): Promise<string> {
      const token = randomBytes(24).toString('base64url')
      await repo.insertDraft(db, {
        id: newId(),
        token_hash: sha256(token),
        answers_json: {},
        expires_at: addMinutes(nowIso(), DRAFT_MINUTES),
      })
      return token
    },

    async load(token: string): Promise<{ id: string; answers: Answers } | null> {
      const draft = await repo.findDraft(db, sha256(token), nowIso())
      return draft ? { id: draft.id, answers: draft.answers_json as Answers } : null
    },

    async answer(draftId: string, answers: Answers): Promise<void> {
      await repo.saveDraft(db, draftId, answers)
    },

    /** Chosen libraries must be the directory's libraries. */
    async checkLibraries(ids: readonly string[]): Promise<void> {
      const known = new Set((await deps.directory.listLibraries()).map((l) => l.id))
      if (ids.some((id) => !known.has(id))) throw new Invalid('volunteers.errors.libraries', 'libraries')
    },

    firstUnanswered,

    /** The libraries an applicant may choose, grouped by borough in the page. */
    async libraries() {
      const [libraries, boroughs] = await Promise.all([deps.directory.listLibraries(), listBoroughs(db)])
      return boroughs.map((b) => ({
        borough: b,
        libraries: libraries.filter((l) => l.borough_id === b.id).map((l) => ({ id: l.id, name: l.name })),
      }))
    },

    /**
     * Sends the application. Its borough is the first chosen library's; the coordinators of that borough
     * are told. A second send of the same draft (a double click, a refresh) finds it gone and sends nothing.
     */
    async submit(
      draftId: string,
      answers: Answers,
      ctx: AuditContext,
    ): Promise<{ volunteerId: string } | ApplyPage> {
      const application = complete(answers)
      if (typeof application === 'string') return application
      const libraries = await deps.directory.listLibraries()
      const chosen = application.libraries.map((id) => libraries.find((l) => l.id === id))
      const first = chosen[0]
      if (!first || chosen.some((l) => !l)) return 'libraries'
      const borough = (await listBoroughs(db)).find((b) => b.id === first.borough_id)
      if (!borough) return 'libraries'
      const coordinators = await deps.accounts.emailsFor({
        permission: 'volunteers.manage',
        boroughId: borough.id,
      })
      const volunteerId = newId()
      const now = nowIso()
      await db.transaction().execute(async (tx) => {
        if (!(await repo.takeDraft(tx, draftId))) throw new Invalid('volunteers.errors.alreadySent')
        await repo.insert(tx, {
          id: volunteerId,
          borough_id: borough.id,
          user_id: null,
          name: application.name,
          email: application.email,
          phone: application.phone,
          availability_json: application.slots,
          languages: application.languages,
          skills: application.skills,
          libraries_json: application.libraries,
          referees: application.referees,
          consents_json: application.consents,
          status: 'applied',
          left_reason: null,
          applied_at: now,
          waiting_reminded_at: null,
          created_at: now,
          updated_at: now,
        })
        await repo.insertStep(tx, {
          id: newId(),
          volunteer_id: volunteerId,
          status: 'applied',
          reason: null,
          moved_by_user_id: null,
          moved_by_name: null,
          moved_at: now,
        })
        // The applicant's acknowledgement and each coordinator's notice, in one insert.
        await outbox.enqueueMany(tx, [
          {
            channel: 'email',
            template: 'volunteers-application-received',
            recipient: application.email,
            boroughId: borough.id,
            personalisation: { name: application.name, serviceName: config.SERVICE_NAME },
          },
          ...coordinators.map((email) => ({
            channel: 'email' as const,
            template: 'volunteers-applied',
            recipient: email,
            boroughId: borough.id,
            personalisation: {
              boroughName: borough.name,
              link: `${config.publicUrl}/staff/volunteers/${volunteerId}`,
            },
          })),
        ])
        await audit.record(tx, ctx, {
          action: 'volunteers.applied',
          recordType: 'volunteer',
          recordId: volunteerId,
        })
      })
      return { volunteerId }
    },

    purgeDrafts: () => repo.purgeDrafts(db, nowIso()),
  }
}

export type ApplicationService = ReturnType<typeof applicationService>

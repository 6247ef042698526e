import { can, requireInScope, requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import type { Tx } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import type { HubEvents, ModuleEvents } from '#platform/events.ts'
import { isUuid, newId } from '#platform/ids.ts'
import { addDays, londonToday } from '#platform/london.ts'
import type { Platform } from '#platform/platform.ts'
import type { DevicesModuleService } from '../devices/index.ts'
import type { PersonService } from '../people/index.ts'
import type { DeviceHelpInput, MemberInput, NewMemberInput, StatusInput } from './home-library.schemas.ts'
import { type MemberTable, memberRepository as repo } from './member.repository.ts'
import { BASES, type Basis, reviewDateProblem } from './member.ts'
import { planMember } from './planner.ts'
import { roundRepository as rounds } from './round.repository.ts'
import { visitRepository as visits } from './visit.repository.ts'

/** How far ahead visits are planned when someone joins, returns or changes their schedule. */
export const PLAN_WEEKS = 4

/** A member as every Home Library page may show them: without the access notes and emergency contact. */
export type MemberView = Omit<MemberTable, 'access_notes' | 'emergency_contact'>

function withoutAccessDetails(m: MemberTable): MemberView {
  const { access_notes: _notes, emergency_contact: _contact, ...view } = m
  return view
}

function details(input: MemberInput) {
  return {
    basis: input.basis,
    evidence: input.evidence,
    review_on: input.reviewOn ?? null,
    delivery_day: input.deliveryDay,
    day_part: input.dayPart,
    frequency: input.frequency,
    starts_on: input.startsOn,
    max_items: input.maxItems,
    formats_json: input.formats,
    likes: input.likes,
    dislikes: input.dislikes,
    access_notes: input.accessNotes,
    emergency_contact: input.emergencyContact,
    communication_json: input.communication,
    is_digital_support_wanted: input.digitalSupport === 'yes',
  }
}

/** Members: joining from a referral or added by staff, their details, status and device help. */
export function memberService(
  platform: Platform,
  deps: {
    people: PersonService
    devices: Pick<DevicesModuleService, 'lend'>
    events: ModuleEvents
    bankHolidays: ReadonlySet<string>
  },
) {
  const { database, audit } = platform
  const { db } = database
  const { people, devices, events, bankHolidays } = deps

  async function inScope(user: StaffUser, id: string): Promise<MemberTable> {
    const member = isUuid(id) ? await repo.find(db, id) : undefined
    if (!member) throw new NotFound()
    requireInScope(user, member.borough_id)
    return member
  }

  function checkReview(input: MemberInput, today: string, before?: string | null): void {
    if (input.reviewOn !== undefined && input.reviewOn === before) return
    const problem = reviewDateProblem(input.basis, input.reviewOn ?? null, today)
    if (problem) throw new Invalid(problem, 'reviewOn')
  }

  /** The new member's row, history and first weeks of visits, in the caller's transaction. */
  async function insertMember(
    tx: Tx,
    input: MemberInput,
    who: { boroughId: string; personId: string; name: string; needId: string | null },
    ctx: AuditContext,
    id = newId(),
  ): Promise<string> {
    const now = nowIso()
    const today = londonToday()
    const member: MemberTable = {
      id,
      borough_id: who.boroughId,
      person_id: who.personId,
      need_id: who.needId,
      name: who.name,
      ...details(input),
      review_reminded_for: null,
      status: 'active',
      paused_until: null,
      left_reason: null,
      joined_on: today,
      left_on: null,
      created_at: now,
      updated_at: now,
    }
    await repo.insert(tx, member)
    await repo.insertChange(tx, {
      id: newId(),
      member_id: id,
      borough_id: who.boroughId,
      status: 'active',
      reason: null,
      is_joining: true,
      changed_on: today,
      created_at: now,
    })
    await planMember(tx, member, today, addDays(today, PLAN_WEEKS * 7), bankHolidays)
    await audit.record(tx, ctx, {
      action: 'home-library.member-joined',
      recordType: 'home-library-member',
      recordId: id,
      fields: Object.keys(input),
    })
    return id
  }

  return {
    async boroughs(user: StaffUser) {
      requirePermission(user, 'home-library.view')
      const scope = scopeFilter(user)
      return (await listBoroughs(db)).filter((b) => !scope || scope.includes(b.id))
    },

    async list(user: StaffUser, status?: MemberTable['status']) {
      requirePermission(user, 'home-library.view')
      return repo.list(db, scopeFilter(user), { status })
    },

    /** Routed Home Library requests of the caller's boroughs, waiting to become members. */
    async requests(user: StaffUser) {
      requirePermission(user, 'home-library.view')
      return repo.waitingRequests(db, scopeFilter(user))
    },

    async request(user: StaffUser, id: string) {
      requirePermission(user, 'home-library.manage')
      const request = isUuid(id) ? await repo.findRequest(db, id) : undefined
      if (!request || request.member_id) throw new NotFound()
      requireInScope(user, request.borough_id)
      return request
    },

    /** Temporary members whose review is within the reminder window, or overdue. */
    async reviewsDue(user: StaffUser, reminderDays: number) {
      requirePermission(user, 'home-library.view')
      return repo.reviewsBy(db, scopeFilter(user), addDays(londonToday(), reminderDays))
    },

    /** One member, without access notes or emergency contact; the view is audited. */
    async get(user: StaffUser, id: string, ctx: AuditContext): Promise<MemberView> {
      requirePermission(user, 'home-library.view')
      const member = await inScope(user, id)
      await audit.record(db, ctx, {
        action: 'home-library.member-viewed',
        recordType: 'home-library-member',
        recordId: id,
      })
      return withoutAccessDetails(member)
    },

    /** Access notes and the emergency contact: Home Library roles only, each view audited. */
    async accessDetails(user: StaffUser, id: string, ctx: AuditContext) {
      requirePermission(user, 'home-library.access-notes')
      const member = await inScope(user, id)
      await audit.record(db, ctx, {
        action: 'home-library.access-notes-viewed',
        recordType: 'home-library-member',
        recordId: id,
        fields: ['access_notes', 'emergency_contact'],
      })
      return { accessNotes: member.access_notes, emergencyContact: member.emergency_contact }
    },

    /** The whole record, for the edit form (which shows the access notes: audited as a view of them). */
    async forEdit(user: StaffUser, id: string, ctx: AuditContext): Promise<MemberTable> {
      requirePermission(user, 'home-library.manage')
      const member = await inScope(user, id)
      if (can(user, 'home-library.access-notes')) {
        await audit.record(db, ctx, {
          action: 'home-library.access-notes-viewed',
          recordType: 'home-library-member',
          recordId: id,
          fields: ['access_notes', 'emergency_contact'],
        })
        return member
      }
      return { ...member, access_notes: '', emergency_contact: '' }
    },

    history: (id: string) => repo.changesOf(db, id),
    deviceHelp: (id: string) => repo.deviceHelpOf(db, id),

    /** Someone staff add directly: their person record is made in the same transaction. */
    async add(user: StaffUser, input: NewMemberInput, ctx: AuditContext): Promise<string> {
      requirePermission(user, 'home-library.manage')
      requireInScope(user, input.borough)
      if (!(await listBoroughs(db)).some((b) => b.id === input.borough))
        throw new Invalid('homeLibrary.errors.borough', 'borough')
      checkReview(input, londonToday())
      return db.transaction().execute(async (tx) => {
        const personId = await people.create(
          tx,
          {
            boroughId: input.borough,
            fullName: input.name,
            dateOfBirth: null,
            ageRange: null,
            phone: input.phone || null,
            email: null,
            postcode: input.postcode ? input.postcode.toUpperCase() : null,
            preferredLanguage: null,
          },
          ctx,
        )
        return insertMember(
          tx,
          input,
          { boroughId: input.borough, personId, name: input.name, needId: null },
          ctx,
        )
      })
    },

    /**
     * A referral's Home Library request becomes a member. The referral hears of it through the event
     * seam, in this transaction; two coordinators at once: the first wins, the second is told.
     */
    async join(user: StaffUser, requestId: string, input: MemberInput, ctx: AuditContext): Promise<string> {
      requirePermission(user, 'home-library.manage')
      checkReview(input, londonToday())
      return db.transaction().execute(async (tx) => {
        const request = isUuid(requestId) ? await repo.findRequest(tx, requestId) : undefined
        if (!request) throw new NotFound()
        requireInScope(user, request.borough_id)
        // Claimed first: a second coordinator waits on the row, then finds it taken.
        const id = newId()
        if (!(await repo.claimRequest(tx, request.id, id)))
          throw new Invalid('homeLibrary.errors.alreadyJoined', 'form')
        await insertMember(
          tx,
          input,
          {
            boroughId: request.borough_id,
            personId: request.person_id,
            name: request.name,
            needId: request.id,
          },
          ctx,
          id,
        )
        await events.publish(tx, 'home-library.member-joined', {
          needId: request.id,
          referralId: request.referral_id,
          memberId: id,
        })
        return id
      })
    },

    async update(user: StaffUser, id: string, input: MemberInput, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'home-library.manage')
      await inScope(user, id)
      await db.transaction().execute(async (tx) => {
        const member = await repo.lock(tx, database.dialect, id)
        if (!member) throw new NotFound()
        const today = londonToday()
        checkReview(input, today, member.review_on)
        const fields = details(input)
        // Without the right to see them, the notes and contact are neither shown nor changed.
        if (!can(user, 'home-library.access-notes')) {
          fields.access_notes = member.access_notes
          fields.emergency_contact = member.emergency_contact
        }
        const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter(
          (k) => JSON.stringify(fields[k]) !== JSON.stringify(member[k]),
        )
        if (!changed.length) return
        const updated = { ...member, ...fields, updated_at: nowIso() }
        await repo.update(tx, id, { ...fields, updated_at: updated.updated_at })
        if (changed.some((k) => k === 'delivery_day' || k === 'frequency' || k === 'starts_on')) {
          await visits.deletePlannedFrom(tx, id, today)
          await planMember(tx, updated, today, addDays(today, PLAN_WEEKS * 7), bankHolidays)
        }
        await audit.record(tx, ctx, {
          action: 'home-library.member-updated',
          recordType: 'home-library-member',
          recordId: id,
          fields: changed,
        })
      })
    },

    /**
     * Active, paused (everything kept; no visits until the return date) or left (off every round, no more
     * visits). Each change is dated, for the figures.
     */
    async changeStatus(user: StaffUser, id: string, input: StatusInput, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'home-library.manage')
      await inScope(user, id)
      const today = londonToday()
      if (input.status === 'paused' && input.pausedUntil && input.pausedUntil <= today)
        throw new Invalid('homeLibrary.errors.pausedUntilPast', 'pausedUntil')
      await db.transaction().execute(async (tx) => {
        const member = await repo.lock(tx, database.dialect, id)
        if (!member) throw new NotFound()
        if (member.status === 'left') throw new Invalid('homeLibrary.errors.hasLeft', 'status')
        const now = nowIso()
        const fields: Partial<MemberTable> = {
          status: input.status,
          paused_until: input.status === 'paused' ? (input.pausedUntil ?? null) : null,
          left_reason: input.status === 'left' ? (input.leftReason ?? null) : null,
          left_on: input.status === 'left' ? today : null,
          updated_at: now,
        }
        await repo.update(tx, id, fields)
        await repo.insertChange(tx, {
          id: newId(),
          member_id: id,
          borough_id: member.borough_id,
          status: input.status,
          reason: input.status === 'left' ? (input.leftReason ?? null) : null,
          is_joining: false,
          changed_on: today,
          created_at: now,
        })
        await visits.deletePlannedFrom(tx, id, today)
        if (input.status === 'left') await rounds.deleteStopsOf(tx, id)
        else
          await planMember(tx, { ...member, ...fields }, today, addDays(today, PLAN_WEEKS * 7), bankHolidays)
        await audit.record(tx, ctx, {
          action: 'home-library.member-status-changed',
          recordType: 'home-library-member',
          recordId: id,
          fields: [
            'status',
            ...(input.status === 'left' ? ['left_reason'] : []),
            ...(input.pausedUntil ? ['paused_until'] : []),
          ],
        })
      })
    },

    /**
     * A tablet lent or help with the member's own device. A tablet lent is a loan from the devices module's
     * stock, handed over in this same transaction: when devices refuses (unknown tag, not ready, taken a
     * moment ago), nothing here is saved either.
     */
    async recordDeviceHelp(
      user: StaffUser,
      id: string,
      input: DeviceHelpInput,
      ctx: AuditContext,
    ): Promise<void> {
      requirePermission(user, 'home-library.manage')
      const member = await inScope(user, id)
      if (member.status === 'left') throw new Invalid('homeLibrary.errors.hasLeft', 'kind')
      await db.transaction().execute(async (tx) => {
        if (input.kind === 'lent-tablet')
          await devices.lend(
            {
              user,
              ctx,
              personId: member.person_id,
              boroughId: member.borough_id,
              assetTag: input.device,
              dueOn: input.dueOn ?? '',
              agreedName: input.agreedName,
              items: input.items,
            },
            tx,
          )
        await repo.insertDeviceHelp(tx, {
          id: newId(),
          member_id: id,
          borough_id: member.borough_id,
          kind: input.kind,
          device: input.kind === 'lent-tablet' ? input.device.toUpperCase() : input.device,
          help: input.help,
          given_on: londonToday(),
          recorded_by_user_id: user.id,
          created_at: nowIso(),
        })
        await audit.record(tx, ctx, {
          action: 'home-library.device-help-recorded',
          recordType: 'home-library-member',
          recordId: id,
          fields: ['kind', 'device', 'help'],
        })
      })
    },

    /** The referrals module routed a request to the Home Library: it waits here to become a member. */
    async requestRouted(tx: Tx, routed: HubEvents['referrals.request-routed']): Promise<void> {
      if (routed.kind !== 'home-library') return
      const reason = String(routed.details.reason ?? '')
      await repo.insertRequest(tx, {
        id: routed.needId,
        referral_id: routed.referralId,
        person_id: routed.personId,
        borough_id: routed.boroughId,
        name: routed.residentName,
        basis: (BASES as readonly string[]).includes(reason) ? (reason as Basis) : '',
        interests: String(routed.details.interests ?? ''),
        routed_at: nowIso(),
        member_id: null,
      })
    },

    followMerge: (tx: Tx, fromId: string, toId: string) => repo.repointPerson(tx, fromId, toId),
  }
}

export type MemberService = ReturnType<typeof memberService>

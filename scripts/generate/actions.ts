/**
 * Partnership meetings and their follow-up actions for the benchmark's open-actions list: partner
 * organisations with contacts, a meeting every few days over the last years, and actions (open, in
 * progress, done or dropped) each owned by one or two partner contacts.
 */
import type { OrganisationTable } from '../../src/modules/directory/directory.tables.ts'
import type { ActionStatus } from '../../src/modules/partnership/action.ts'
import type {
  ActionTable,
  MeetingTable,
  OwnerTable,
} from '../../src/modules/partnership/meeting.repository.ts'
import type { PartnerContactTable } from '../../src/modules/partnership/partner.repository.ts'
import { listBoroughs } from '../../src/platform/boroughs.ts'
import type { Db } from '../../src/platform/database.ts'
import { newId } from '../../src/platform/ids.ts'
import { insertMany, type Random } from './random.ts'

/** The contact and the organisation the benchmark filters the open-actions list by. */
export const BENCH_ACTION_CONTACT_ID = '01900000-0000-7000-8000-00000000a001'
export const BENCH_ACTION_ORGANISATION_ID = '01900000-0000-7000-8000-00000000a002'

const ORGANISATIONS = 40
const CONTACTS_EACH = 4
const ACTIONS_PER_MEETING = 50
const FIRST = [
  'Amina',
  'Ben',
  'Chloe',
  'Dev',
  'Ewa',
  'Femi',
  'Grace',
  'Hassan',
  'Isla',
  'Jon',
  'Kemi',
  'Luca',
]
const LAST = ['Ahmed', 'Brown', 'Costa', 'Dunn', 'Evans', 'Farah', 'Gray', 'Hughes', 'Iqbal', 'Jones']
const KINDS = ['Learning Trust', 'Age Network', 'Tenants Association', 'Health Partnership', 'Youth Hub']
const VERBS = ['Share', 'Draft', 'Book', 'Ask about', 'Report on', 'Send round', 'Find funding for']
const THINGS = ['the device scheme figures', 'a joint training day', 'the drop-in rota', 'the referral form']
const STATUSES: [ActionStatus, number][] = [
  ['open', 0.6],
  ['in-progress', 0.8],
  ['done', 0.95],
  ['dropped', 1],
]

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

export async function generateActions(db: Db, n: number, r: Random) {
  if (n === 0) return { meetings: 0, actions: 0 }
  const now = new Date().toISOString()
  const boroughs = await listBoroughs(db)
  const organisations: OrganisationTable[] = Array.from({ length: ORGANISATIONS }, (_, i) => {
    const id = i === 0 ? BENCH_ACTION_ORGANISATION_ID : newId()
    return {
      id,
      code: `generated-${id}`,
      kind: 'partner',
      name: `${r.pick(KINDS)} ${i + 1}`,
      description: 'A fictional partner organisation made by the data generator.',
      website: null,
      email: `partnership.${i + 1}@partner.example.com`,
      phone: '020 7946 0000',
      borough_id: r.pick(boroughs).id,
      source: null,
      source_id: null,
      created_at: now,
      updated_at: now,
    }
  })
  const contacts: (PartnerContactTable & { organisationName: string })[] = organisations.flatMap((o, i) =>
    Array.from({ length: CONTACTS_EACH }, (_, c) => ({
      id: i === 0 && c === 0 ? BENCH_ACTION_CONTACT_ID : newId(),
      organisation_id: o.id,
      name: `${r.pick(FIRST)} ${r.pick(LAST)}`,
      role: 'Partnership contact',
      email: `contact.${i + 1}.${c + 1}@partner.example.com`,
      phone: null,
      created_at: now,
      organisationName: o.name,
    })),
  )
  const meetingCount = Math.ceil(n / ACTIONS_PER_MEETING)
  const today = Date.parse(now.slice(0, 10))
  const meetings: MeetingTable[] = Array.from({ length: meetingCount }, (_, i) => ({
    id: newId(),
    title: `Partnership meeting ${i + 1}`,
    held_on: isoDay(today - (meetingCount - i) * 4 * 86_400_000),
    venue: 'Library meeting room',
    agenda: 'Updates from partners; actions.',
    minutes: 'Minutes of the meeting.',
    next_meeting_on: null,
    minutes_closed_at: now,
    created_at: now,
    updated_at: now,
  }))
  const actions: ActionTable[] = []
  const owners: OwnerTable[] = []
  for (let i = 0; i < n; i++) {
    const meeting = meetings[Math.floor(i / ACTIONS_PER_MEETING)] as MeetingTable
    const roll = r.next()
    const status = STATUSES.find(([, upTo]) => roll < upTo)?.[0] ?? 'open'
    const id = newId()
    const due = Date.parse(meeting.held_on) + (7 + r.int(90)) * 86_400_000
    const dueOn = isoDay(due)
    actions.push({
      id,
      meeting_id: meeting.id,
      text: `${r.pick(VERBS)} ${r.pick(THINGS)}`,
      due_on: dueOn,
      status,
      is_public: r.chance(0.5),
      // Reminded as the hourly job would have, PARTNERSHIP_ACTION_REMINDER_DAYS (3) before and after.
      reminded_before_on: due <= today + 3 * 86_400_000 ? dueOn : null,
      reminded_after_on: due <= today - 3 * 86_400_000 ? dueOn : null,
      created_at: now,
      updated_at: now,
    })
    const chosen = r.chance(0.2) ? [r.pick(contacts), r.pick(contacts)] : [r.pick(contacts)]
    for (const contact of new Set(chosen))
      owners.push({
        id: newId(),
        action_id: id,
        user_id: null,
        contact_id: contact.id,
        name: contact.name,
        organisation_id: contact.organisation_id,
        organisation_name: contact.organisationName,
      })
  }
  await db.transaction().execute(async (tx) => {
    await insertMany(tx, 'organisations', organisations)
    await insertMany(
      tx,
      'partner_contacts',
      contacts.map(({ organisationName: _, ...c }) => c),
    )
    await insertMany(tx, 'partnership_meetings', meetings)
    await insertMany(tx, 'partnership_actions', actions)
    await insertMany(tx, 'action_owners', owners)
  })
  return { meetings: meetings.length, actions: actions.length }
}

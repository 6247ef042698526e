import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { StaffUser } from '#platform/access.ts'
import { newId } from '#platform/ids.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { CTX } from '../referrals/testing.ts'
import { SKILLS, type Skill, type SkillLevel } from './skills.ts'
import { bookingAnswers, sessionsStaff } from './testing.ts'

const YEAR = new Date().getUTCFullYear() + 1

/** Every skill "not yet", but the ones given. */
function answers(held: Partial<Record<Skill, SkillLevel>> = {}): Record<Skill, SkillLevel> {
  return Object.fromEntries(SKILLS.map((s) => [s, held[s] ?? 'not-yet'])) as Record<Skill, SkillLevel>
}

for (const dialect of DIALECTS) {
  describe(`learners' essential digital skills on ${dialect}`, () => {
    let hub: TestHub
    let officer: StaffUser
    let other: StaffUser
    let date: string

    before(async () => {
      hub = await testHub(dialect)
      const boroughs = await hub.sessions.boroughs()
      const rbkc = boroughs.find((b) => b.code === 'rbkc')?.id as string
      const wcc = boroughs.find((b) => b.code === 'wcc')?.id as string
      officer = sessionsStaff([rbkc])
      other = sessionsStaff([wcc])
      const id = await hub.sessions.createSession(
        officer,
        {
          boroughId: rbkc,
          kind: 'course',
          title: 'Getting online',
          description: '',
          venue: 'online',
          locationId: null,
          serviceCode: null,
          onlineLink: 'https://meet.example.org/course',
          language: 'English',
          whatToBring: null,
          capacity: 4,
          facilitators: [],
          rule: {
            start: `${YEAR}-01-05`,
            startTime: '10:00',
            endTime: '12:00',
            byDay: ['TU'],
            count: 3,
            exdates: [],
          },
        },
        CTX,
      )
      date = (await hub.sessions.staffSession(officer, id)).occurrences[0]?.id as string
    })
    after(() => hub.close())

    test('a baseline at the first session, a follow-up later: progress, skills gained and the figures', async () => {
      const made = await hub.sessions.book(
        { occurrenceId: date, ...bookingAnswers('Lena Learner', { email: 'lena@example.org' }) },
        CTX,
      )
      const booking = await hub.database.db
        .selectFrom('help_session_bookings')
        .select(['id', 'person_id'])
        .where('reference', '=', made.reference)
        .executeTakeFirstOrThrow()
      assert.equal(booking.person_id, null)
      await hub.sessions.mark(officer, { occurrenceId: date, bookingId: booking.id, status: 'attended' }, CTX)

      assert.equal((await hub.sessions.skills.checkFor(officer, booking.id)).baseline, true)
      const personId = await hub.sessions.skills.assess(
        officer,
        { bookingId: booking.id, answers: answers({ 'turn-on': 'on-my-own', wifi: 'with-help' }) },
        CTX,
      )
      // Booked online without a record: one is made, and the booking linked to it.
      const linked = await hub.database.db
        .selectFrom('help_session_bookings')
        .select('person_id')
        .where('id', '=', booking.id)
        .executeTakeFirstOrThrow()
      assert.equal(linked.person_id, personId)
      assert.equal((await hub.sessions.skills.checkFor(officer, booking.id)).baseline, false)

      const again = await hub.sessions.skills.assess(
        officer,
        {
          bookingId: booking.id,
          answers: answers({ 'turn-on': 'on-my-own', wifi: 'on-my-own', transacting: 'on-my-own' }),
        },
        CTX,
      )
      assert.equal(again, personId, 'a follow-up is the same learner')

      const learner = await hub.sessions.skills.learner(officer, personId, CTX)
      assert.equal(learner.name, 'Lena Learner')
      assert.equal(learner.assessments.length, 2)
      assert.equal(learner.attended, 1)
      assert.deepEqual(learner.gained, ['wifi', 'transacting'])
      await assert.rejects(hub.sessions.skills.learner(other, personId, CTX), { name: 'NotFound' })
      await assert.rejects(hub.sessions.skills.checkFor(other, booking.id), { name: 'NotFound' })

      const figures = await hub.sessions.skills.figures(
        officer,
        `${YEAR - 2}-01-01T00:00:00.000Z`,
        `${YEAR + 1}-01-01T00:00:00.000Z`,
      )
      assert.deepEqual(
        figures.map(({ learners, attended, gained }) => ({ learners, attended, gained })),
        [{ learners: 1, attended: 1, gained: 2 }],
      )
      assert.deepEqual(
        await hub.sessions.skills.figures(
          other,
          `${YEAR - 2}-01-01T00:00:00.000Z`,
          `${YEAR + 1}-01-01T00:00:00.000Z`,
        ),
        [],
      )

      const audit = await hub.database.db
        .selectFrom('audit_events')
        .select('action')
        .where('record_id', '=', personId)
        .execute()
      assert.deepEqual(audit.map((a) => a.action).sort(), [
        'person.created',
        'sessions.learner-viewed',
        'sessions.skills-checked',
        'sessions.skills-checked',
      ])
    })

    test('a check needs a booking holding a place, and every skill answered', async () => {
      await assert.rejects(
        hub.sessions.skills.assess(officer, { bookingId: newId(), answers: answers() }, CTX),
        {
          name: 'NotFound',
        },
      )
      const { skillsSchema } = await import('./session.schemas.ts')
      const partial = skillsSchema.safeParse({ wifi: 'on-my-own' })
      assert.equal(partial.success, false)
      assert.equal(partial.error?.issues.length, SKILLS.length - 1)
      assert.equal(partial.error?.issues[0]?.message, 'sessions.errors.skillMissing')
    })
  })
}

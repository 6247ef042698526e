import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Forbidden, Invalid, NotFound } from '#platform/errors.ts'
import { addDays, londonToday } from '#platform/london.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { boroughId, createStaff } from '#tests/support/users.ts'
import { applicationAnswers, apply, CTX, checkAnswers, staffIn } from './testing.ts'

const invalid = (key: string) => (e: unknown) => e instanceof Invalid && e.message.startsWith(key)

for (const dialect of DIALECTS) {
  describe(`Volunteers services on ${dialect}`, () => {
    let hub: TestHub
    let rbkc: string
    let wcc: string
    let coordinator: ReturnType<typeof staffIn>
    const today = londonToday()

    before(async () => {
      hub = await testHub(dialect)
      rbkc = await boroughId(hub, 'rbkc')
      wcc = await boroughId(hub, 'wcc')
      coordinator = staffIn([rbkc])
    })
    after(() => hub.close())

    const messagesTo = (recipient: string) =>
      hub.database.db
        .selectFrom('outbox')
        .select(['template', 'borough_id'])
        .where('recipient', '=', recipient)
        .execute()

    /** Moves a volunteer along each step from where they are to `to`. */
    async function moveTo(id: string, path: string[]) {
      for (let i = 1; i < path.length; i++)
        await hub.volunteers.volunteers.move(
          coordinator,
          id,
          { from: path[i - 1] as 'applied', to: path[i] as 'applied' },
          CTX,
        )
    }

    test("an application is a volunteer at 'applied'; the borough's coordinators and the applicant are told, once", async () => {
      const own = await createStaff(hub, { roles: ['volunteer-coordinator'], boroughs: ['rbkc'] })
      const other = await createStaff(hub, { roles: ['volunteer-coordinator'], boroughs: ['wcc'] })
      const { applications } = hub.volunteers
      const token = await applications.start()
      const draft = await applications.load(token)
      assert.ok(draft)
      const answers = await applicationAnswers(hub, rbkc, {
        contact: { email: 'once@example.com', phone: '07700 900982' },
      })
      await applications.answer(draft.id, answers)
      const sent = await applications.submit(draft.id, answers, CTX)
      assert.ok(typeof sent === 'object')
      // The same draft sent again (a double click) sends nothing more.
      await assert.rejects(
        applications.submit(draft.id, answers, CTX),
        invalid('volunteers.errors.alreadySent'),
      )
      assert.equal(await applications.load(token), null)

      const { volunteer, steps } = await hub.volunteers.volunteers.get(coordinator, sent.volunteerId, CTX)
      assert.equal(volunteer.status, 'applied')
      assert.equal(volunteer.borough_id, rbkc)
      assert.deepEqual(
        steps.map((s) => [s.status, s.moved_by_name]),
        [['applied', null]],
      )
      assert.deepEqual(await messagesTo(own.email), [{ template: 'volunteers-applied', borough_id: rbkc }])
      assert.deepEqual(await messagesTo(other.email), [])
      assert.deepEqual(await messagesTo('once@example.com'), [
        { template: 'volunteers-application-received', borough_id: rbkc },
      ])
    })

    test('an application missing an answer goes back to that page and saves nothing', async () => {
      const { applications } = hub.volunteers
      const draft = await applications.load(await applications.start())
      assert.ok(draft)
      const answers = { name: { name: 'No Times' }, availability: { slots: [] } }
      assert.equal(await applications.submit(draft.id, answers, CTX), 'contact')
      const found = await hub.database.db
        .selectFrom('volunteers')
        .select('id')
        .where('name', '=', 'No Times')
        .execute()
      assert.equal(found.length, 0)
    })

    test('the pipeline: each step dated and attributed; active needs a check in date; left needs a reason', async () => {
      const id = await apply(hub, rbkc)
      await moveTo(id, ['applied', 'contacted', 'interviewed', 'checks', 'training'])
      const move = (to: 'active' | 'left' | 'paused', reason?: string) =>
        hub.volunteers.volunteers.move(coordinator, id, { from: 'training', to, reason }, CTX)
      await assert.rejects(move('paused'), invalid('volunteers.errors.to'))
      await assert.rejects(move('left'), invalid('volunteers.errors.reason'))
      await assert.rejects(move('left', 'bored'), invalid('volunteers.errors.reason'))
      await assert.rejects(move('active'), invalid('volunteers.gate.none'))
      await hub.volunteers.volunteers.saveChecks(coordinator, id, checkAnswers(addDays(today, -1)), CTX)
      await assert.rejects(move('active'), invalid('volunteers.gate.lapsed'))
      await hub.volunteers.volunteers.saveChecks(coordinator, id, checkAnswers(addDays(today, 365)), CTX)
      await move('active')
      const { volunteer, steps, next } = await hub.volunteers.volunteers.get(coordinator, id, CTX)
      assert.equal(volunteer.status, 'active')
      assert.deepEqual(next, ['paused', 'left'])
      assert.deepEqual(
        steps.map((s) => s.status),
        ['applied', 'contacted', 'interviewed', 'checks', 'training', 'active'],
      )
      assert.ok(steps.slice(1).every((s) => s.moved_by_user_id === coordinator.id && s.moved_at))
    })

    test('two coordinators moving one volunteer at once: exactly one move happens', async () => {
      const id = await apply(hub, rbkc)
      const results = await Promise.allSettled([
        hub.volunteers.volunteers.move(coordinator, id, { from: 'applied', to: 'contacted' }, CTX),
        hub.volunteers.volunteers.move(
          coordinator,
          id,
          { from: 'applied', to: 'left', reason: 'no-time' },
          CTX,
        ),
      ])
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
      const failed = results.find((r) => r.status === 'rejected')
      assert.ok(failed && invalid('volunteers.errors.alreadyMoved')(failed.reason))
      const { steps } = await hub.volunteers.volunteers.get(coordinator, id, CTX)
      assert.equal(steps.length, 2)
    })

    test("checks: the coordinator's alone, every view audited; the other borough's volunteer is not found", async () => {
      const id = await apply(hub, rbkc)
      const manager = staffIn([rbkc], ['volunteers.view'])
      await assert.rejects(hub.volunteers.volunteers.checks(manager, id, CTX), Forbidden)
      await assert.rejects(hub.volunteers.volunteers.checks(staffIn([wcc]), id, CTX), NotFound)
      await assert.rejects(hub.volunteers.volunteers.get(staffIn([wcc]), id, CTX), NotFound)
      const viewed = async () =>
        (
          await hub.database.db
            .selectFrom('audit_events')
            .select('id')
            .where('action', '=', 'volunteers.checks-viewed')
            .where('record_id', '=', id)
            .execute()
        ).length
      const before = await viewed()
      const seen = await hub.volunteers.volunteers.checks(coordinator, id, CTX)
      assert.equal(seen.state, 'none')
      assert.equal(await viewed(), before + 1)
      const save = (input: Partial<ReturnType<typeof checkAnswers>>) =>
        hub.volunteers.volunteers.saveChecks(
          coordinator,
          id,
          { ...checkAnswers(addDays(today, 300)), ...input },
          CTX,
        )
      await assert.rejects(save({ issuedOn: addDays(today, 1) }), invalid('volunteers.errors.issuedFuture'))
      await assert.rejects(save({ renewsOn: '2025-01-15' }), invalid('volunteers.errors.renewsBeforeIssue'))
      await assert.rejects(
        save({ statusCheckedOn: '2024-01-01' }),
        invalid('volunteers.errors.statusCheckedOn'),
      )
      await assert.rejects(
        save({ updateService: false, statusCheckedOn: today }),
        invalid('volunteers.errors.statusWithoutUpdateService'),
      )
      await save({ statusCheckedOn: today })
      const again = await hub.volunteers.volunteers.checks(coordinator, id, CTX)
      assert.equal(again.state, 'in-date')
      assert.equal(again.check?.certificate_number, '001234567890')
    })

    test('a Home Library round refuses a volunteer deliverer whose check lapsed, with the reason; in date, it is made', async () => {
      const account = await createStaff(hub, {
        roles: ['volunteer'],
        boroughs: ['rbkc'],
        name: 'Dev Deliverer',
      })
      const id = await apply(hub, rbkc, { name: { name: 'Dev Deliverer' } })
      await hub.volunteers.volunteers.linkAccount(coordinator, id, account.id, CTX)
      // Another applicant's record offers the accounts not linked yet: not Dev's.
      const unlinked = await createStaff(hub, {
        roles: ['volunteer'],
        boroughs: ['rbkc'],
        name: 'Una Unlinked',
      })
      const second = await apply(hub, rbkc, { name: { name: 'Sam Second' } })
      const { accounts } = await hub.volunteers.volunteers.get(coordinator, second, CTX)
      assert.ok(accounts.some((a) => a.id === unlinked.id))
      assert.ok(!accounts.some((a) => a.id === account.id))
      await hub.volunteers.volunteers.saveChecks(coordinator, id, checkAnswers(addDays(today, 30)), CTX)
      await moveTo(id, ['applied', 'contacted', 'interviewed', 'checks', 'training', 'active'])
      const hl = staffIn([rbkc], ['home-library.view', 'home-library.manage'])
      const round = (name: string) =>
        hub['home-library'].rounds.create(
          hl,
          rbkc,
          { borough: rbkc, name, library: 'Chelsea Library', weekday: 3, deliverer: account.id },
          CTX,
        )
      assert.ok(await round('Chelsea Wednesday'))
      await hub.volunteers.volunteers.saveChecks(coordinator, id, checkAnswers(today), CTX)
      await assert.rejects(round('Chelsea Wednesday B'), (e: unknown) => {
        assert.ok(e instanceof Invalid)
        assert.equal(e.message, 'volunteers.gate.lapsedNamed?name=Dev+Deliverer')
        assert.equal(e.field, 'deliverer')
        return true
      })
    })

    test('applications waiting more than the set days are reminded to their coordinators once', async () => {
      const lead = await createStaff(hub, { roles: ['volunteer-coordinator'], boroughs: ['wcc'] })
      const id = await apply(hub, wcc, { name: { name: 'Long Wait' } })
      const { volunteers } = hub.volunteers
      assert.equal(await volunteers.remindWaiting(new Date()), 0)
      const later = new Date(Date.now() + 8 * 86_400_000)
      assert.ok((await volunteers.remindWaiting(later)) >= 1)
      assert.equal(await volunteers.remindWaiting(later), 0)
      const waiting = (await messagesTo(lead.email)).filter((m) => m.template === 'volunteers-waiting')
      assert.equal(waiting.length, 1)
      assert.ok(id)
    })
  })
}

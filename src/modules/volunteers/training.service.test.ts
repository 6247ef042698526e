import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { StaffUser } from '#platform/access.ts'
import { Invalid } from '#platform/errors.ts'
import { addDays, londonToday } from '#platform/london.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { boroughId } from '#tests/support/users.ts'
import { activeVolunteer, CTX, staffIn } from './testing.ts'

const refused = (key: string) => (e: unknown) => e instanceof Invalid && e.message.startsWith(key)

for (const dialect of DIALECTS) {
  describe(`Volunteer training on ${dialect}`, () => {
    let hub: TestHub
    let rbkc: string
    let coordinator: StaffUser
    const today = londonToday()

    before(async () => {
      hub = await testHub(dialect)
      rbkc = await boroughId(hub, 'rbkc')
      coordinator = staffIn([rbkc])
    })
    after(() => hub.close())

    test('training running out within 30 days is reminded to the volunteer and coordinators, once', async () => {
      const v = await activeVolunteer(hub, 'rbkc', 'Ed Expiring', { renewsOn: addDays(today, 400) })
      const dp = (await hub.volunteers.training.courses(coordinator)).find(
        (c) => c.name === 'Data protection',
      )
      assert.ok(dp)
      await hub.volunteers.training.recordTraining(
        coordinator,
        v.id,
        { course: dp.id, completedOn: addDays(today, -350), evidence: 'Online module' },
        CTX,
      )
      await assert.rejects(
        hub.volunteers.training.recordTraining(
          coordinator,
          v.id,
          { course: dp.id, completedOn: addDays(today, 1), evidence: 'x' },
          CTX,
        ),
        refused('volunteers.rota.errors.completedFuture'),
      )
      assert.ok((await hub.volunteers.training.remindTraining()) >= 1)
      assert.equal(await hub.volunteers.training.remindTraining(), 0)
      const told = await hub.database.db
        .selectFrom('outbox')
        .select('template')
        .where('recipient', '=', v.account.email)
        .where('template', '=', 'volunteers-training-expiring')
        .execute()
      assert.equal(told.length, 1)
    })
  })
}

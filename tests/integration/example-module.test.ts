import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { MODULES } from '#modules/index.ts'
import type { StaffUser } from '#platform/access.ts'
import { defineModule } from '#platform/module.ts'
import { exampleModule } from '#tests/fixtures/example-module/index.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'

/**
 * Adding a module is its folder and one registry line. The example module (tests/fixtures/example-module)
 * is given to the app the way the registry gives its modules, and everything it declares works.
 */
const CTX = { userId: null, actor: 'test', ip: null, requestId: null }
type ExampleService = { addNote(personId: string, name: string): Promise<string> }

/** A second small module that listens to the example's event: it refuses notes about one name. */
const heard: string[] = []
const listenerModule = defineModule({
  name: 'listener',
  folder: 'tests/fixtures/listener',
  permissions: {},
  migrations: {},
  personalData: {},
  events: { listens: ['example-module.noted'] },
  create({ events }) {
    events.on('example-module.noted', async (tx, { noteId }) => {
      const note = await tx
        .selectFrom('example_notes')
        .select('person_name')
        .where('id', '=', noteId)
        .executeTakeFirst()
      if (note?.person_name === 'Refused Person') throw new Error('The listener refuses this note')
      heard.push(noteId)
    })
    return {}
  },
})

describe('a module added through the registry alone', () => {
  let hub: TestHub
  let example: ExampleService

  before(async () => {
    hub = await testHub('sqlite', { EXAMPLE_MODULE_GREETING: 'Good morning' }, [
      ...MODULES,
      exampleModule,
      listenerModule,
    ])
    example = hub.services['example-module'] as ExampleService
  })
  after(() => hub.close())

  async function person(name: string): Promise<string> {
    const boroughs = await hub.accounts.listBoroughs()
    const boroughId = boroughs[0]?.id as string
    return hub.database.db.transaction().execute((tx) =>
      hub.people.create(
        tx,
        {
          boroughId,
          fullName: name,
          dateOfBirth: null,
          ageRange: null,
          phone: null,
          email: null,
          postcode: null,
          preferredLanguage: null,
        },
        CTX,
      ),
    )
  }

  test('its permission is declared and given to the shipped role its manifest names', async () => {
    assert.equal(hub.composition.permissions.get('example-module.read')?.module, 'example-module')
    const manager = await hub.database.db
      .selectFrom('roles')
      .select('permissions_json')
      .where('code', '=', 'manager')
      .executeTakeFirstOrThrow()
    assert.ok(manager.permissions_json.includes('example-module.read'))
  })

  test('its migration ran, its page is served in two languages with its setting, only with the permission', async () => {
    await example.addNote(await person('Noted Person'), 'Noted Person')
    const { client } = await signedInClient(hub, { roles: ['manager'], boroughs: 'all' })
    const home = await client.get('/staff')
    assert.match(home.body, /href="\/staff\/example"/)
    const english = await client.get('/staff/example')
    assert.equal(english.statusCode, 200)
    assert.match(english.body, /<h1 class="govuk-heading-l">Example notes<\/h1>/)
    assert.match(english.body, /1 note Good morning/)
    await client.get('/language?lang=cy&back=/staff/example')
    const welsh = await client.get('/staff/example')
    assert.match(welsh.body, /Nodiadau enghreifftiol/)
    const { client: officer } = await signedInClient(hub, { roles: ['triage-officer'], boroughs: 'all' })
    assert.equal((await officer.get('/staff/example')).statusCode, 403)
  })

  test('its column of personal data is in the register', () => {
    assert.equal(hub.composition.personalData.get('example_notes')?.columns.person_name, 'identity')
  })

  test('its event reaches a listener inside the same transaction: a refusal undoes the note', async () => {
    const id = await example.addNote(await person('Heard Person'), 'Heard Person')
    assert.ok(heard.includes(id))
    await assert.rejects(
      example.addNote(await person('Refused Person'), 'Refused Person'),
      /refuses this note/,
    )
    const refused = await hub.database.db
      .selectFrom('example_notes')
      .select('id')
      .where('person_name', '=', 'Refused Person')
      .execute()
    assert.deepEqual(refused, [])
  })

  test("it follows another module's event: a merge of two people moves its notes to the one kept", async () => {
    const keep = await person('Kept Person')
    const merge = await person('Merged Person')
    await example.addNote(merge, 'Merged Person')
    const triage: StaffUser = {
      id: '00000000-0000-7000-8000-000000000001',
      name: 'Officer',
      email: 'officer@hub.test',
      roles: ['triage-officer'],
      permissions: new Set(['people.merge']),
      boroughs: 'all',
    }
    await hub.people.merge(triage, { keepId: keep, mergeId: merge }, CTX)
    const notes = await hub.database.db.selectFrom('example_notes').select('person_id').execute()
    assert.ok(notes.some((n) => n.person_id === keep))
    assert.ok(!notes.some((n) => n.person_id === merge))
  })
})

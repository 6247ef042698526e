import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Database } from '#platform/database.ts'
import { HubError, Invalid, NotFound } from '#platform/errors.ts'
import { newId } from '#platform/ids.ts'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import { sharingAgreed } from '../partnership/testing.ts'
import { queueRepository } from './queue.repository.ts'
import { referralMessages } from './referral.messages.ts'
import { referralPersonalData } from './referral.personal-data.ts'
import { type NeedState, TRANSITIONS } from './referral.ts'
import { PARTNER_PAGE_SIZE } from './referral-status.service.ts'
import { searchTermsOf, searchWordsOf } from './search-words.ts'
import { CTX, referralBody, referralServices, staff } from './testing.ts'
import type { QueueQuery } from './triage-queue.service.ts'

/** How to reach each state from "submitted" (the shortest allowed path). */
const PATH: Record<NeedState, NeedState[]> = {
  submitted: [],
  'in-triage': ['in-triage'],
  'needs-information': ['in-triage', 'needs-information'],
  routed: ['in-triage', 'routed'],
  waitlisted: ['in-triage', 'routed', 'waitlisted'],
  scheduled: ['in-triage', 'routed', 'scheduled'],
  'in-progress': ['in-triage', 'routed', 'in-progress'],
  'outcome-recorded': ['in-triage', 'routed', 'in-progress', 'outcome-recorded'],
  closed: ['in-triage', 'routed', 'in-progress', 'outcome-recorded', 'closed'],
  declined: ['in-triage', 'declined'],
  withdrawn: ['withdrawn'],
}
const EXTRA = { outcome: 'got-help' as const, reason: 'Has one already', signposting: 'Library drop-in' }
const extra = (to: NeedState) =>
  to === 'outcome-recorded'
    ? { outcome: EXTRA.outcome }
    : to === 'declined'
      ? { reason: EXTRA.reason, signposting: EXTRA.signposting }
      : {}

for (const dialect of DIALECTS) {
  describe(`referral services on ${dialect}`, () => {
    let database: Database
    let s: Awaited<ReturnType<typeof referralServices>>
    let rbkcOfficer: ReturnType<typeof staff>

    before(async () => {
      database = await freshDatabase(dialect)
      s = await referralServices(database)
      rbkcOfficer = staff([s.boroughs.rbkc as string])
    })
    after(() => database.close())

    /** A partner organisation of the directory, as a partner API key belongs to. */
    async function partnerOrganisation(name: string): Promise<string> {
      return (await s.directory.findOrCreatePartnerOrganisation({ name, borough: 'rbkc' }, CTX)).id
    }

    async function newCase(body = referralBody()) {
      const { reference } = await s.referrals.submit(
        body,
        { source: 'partner-web', privacyNoticeVersion: 'v1' },
        CTX,
      )
      const row = await database.db
        .selectFrom('referrals')
        .selectAll()
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow()
      const need = await database.db
        .selectFrom('referral_needs')
        .selectAll()
        .where('referral_id', '=', row.id)
        .executeTakeFirstOrThrow()
      return { row, need }
    }

    async function caseAt(state: NeedState) {
      const c = await newCase()
      for (const to of PATH[state])
        await s.triage.changeNeed(
          rbkcOfficer,
          { referralId: c.row.id, needId: c.need.id, to, ...extra(to) },
          CTX,
        )
      return c
    }

    async function statusOf(needId: string) {
      const n = await database.db
        .selectFrom('referral_needs')
        .select('status')
        .where('id', '=', needId)
        .executeTakeFirstOrThrow()
      return n.status
    }

    test('the service allows every move in the transition table and refuses every other', async () => {
      // Outcome moves use got-help, so these checks are about the table itself (other rules are tested below).
      for (const from of Object.keys(PATH) as NeedState[]) {
        const refused = await caseAt(from)
        for (const to of Object.keys(PATH) as NeedState[]) {
          if (TRANSITIONS[from].includes(to)) continue
          await assert.rejects(
            s.triage.changeNeed(
              rbkcOfficer,
              { referralId: refused.row.id, needId: refused.need.id, to, ...extra(to) },
              CTX,
            ),
            (e: unknown) => e instanceof Invalid && e.message === 'triage.refusal.not-allowed',
            `${from} -> ${to} must be refused`,
          )
        }
        assert.equal(await statusOf(refused.need.id), from, 'a refused move changes nothing')
        for (const to of TRANSITIONS[from]) {
          const c = await caseAt(from)
          await s.triage.changeNeed(
            rbkcOfficer,
            { referralId: c.row.id, needId: c.need.id, to, ...extra(to) },
            CTX,
          )
          assert.equal(await statusOf(c.need.id), to, `${from} -> ${to}`)
        }
      }
    })

    test('could not contact is refused until enough attempts are logged; each attempt is kept', async () => {
      const c = await caseAt('needs-information')
      const move = {
        referralId: c.row.id,
        needId: c.need.id,
        to: 'outcome-recorded' as const,
        outcome: 'could-not-contact' as const,
      }
      await assert.rejects(s.triage.changeNeed(rbkcOfficer, move, CTX), /too-few-contact-attempts/)
      for (let i = 0; i < s.rules.minContactAttempts; i++)
        await s.triage.logContactAttempt(
          rbkcOfficer,
          { referralId: c.row.id, method: 'phone', result: 'no-answer', note: '' },
          CTX,
        )
      await s.triage.changeNeed(rbkcOfficer, move, CTX)
      assert.equal(await statusOf(c.need.id), 'outcome-recorded')
    })

    test("an officer of one borough cannot see or change the other borough's case; scoped to both they can", async () => {
      const wccCase = await newCase(
        referralBody({ resident: { postcode: 'W1D 3QF', phone: '07700 900002' } }),
      )
      await assert.rejects(s.triage.getCase(rbkcOfficer, wccCase.row.id, CTX), NotFound)
      await assert.rejects(
        s.triage.changeNeed(
          rbkcOfficer,
          { referralId: wccCase.row.id, needId: wccCase.need.id, to: 'in-triage' },
          CTX,
        ),
        NotFound,
      )
      const queue = await s.triage.queue(rbkcOfficer, { page: 1 })
      assert.ok(queue.rows.every((r) => r.borough_id === s.boroughs.rbkc))
      const both = staff([s.boroughs.rbkc as string, s.boroughs.wcc as string])
      const seen = await s.triage.getCase(both, wccCase.row.id, CTX)
      assert.equal(seen.referral.id, wccCase.row.id)
      const viewer = staff('all', ['referrals.view'])
      await assert.rejects(
        s.triage.changeNeed(
          viewer,
          { referralId: wccCase.row.id, needId: wccCase.need.id, to: 'in-triage' },
          CTX,
        ),
        (e: unknown) => e instanceof HubError && e.statusCode === 403,
      )
      const viewed = await database.db
        .selectFrom('audit_events')
        .select('action')
        .where('record_id', '=', wccCase.row.id)
        .where('action', '=', 'referral.viewed')
        .execute()
      assert.equal(viewed.length, 1, 'the view is audited')
    })

    test('accepting and declining tell the referrer status and codes, never the notes', async () => {
      const c = await caseAt('in-triage')
      await database.db.deleteFrom('outbox').execute()
      await s.triage.changeNeed(
        rbkcOfficer,
        {
          referralId: c.row.id,
          needId: c.need.id,
          to: 'declined',
          reason: 'Secret reason',
          signposting: 'Library drop-in',
          note: 'PRIVATE NOTE',
        },
        CTX,
      )
      const sent = await database.db.selectFrom('outbox').selectAll().execute()
      assert.equal(sent.length, 1)
      assert.equal(sent[0]?.recipient, 'pat@example.org')
      assert.equal(sent[0]?.template, 'referral-need-update')
      const text = JSON.stringify(sent[0]?.personalisation_json)
      assert.match(text, /declined/)
      assert.match(text, /Library drop-in/)
      assert.doesNotMatch(text, /PRIVATE NOTE|Secret reason/)
    })

    test('a case view audits the case, its person and each duplicate shown in one transaction', async () => {
      const resident = { name: 'Seen Once', dateOfBirth: '1951-05-05' }
      const first = await newCase(referralBody({ resident: { ...resident, phone: '07700 900771' } }))
      const second = await newCase(referralBody({ resident: { ...resident, phone: '07700 900772' } }))
      const { db } = database
      const head = await db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()
      const transaction = db.transaction.bind(db)
      let transactions = 0
      db.transaction = () => {
        transactions++
        return transaction()
      }
      try {
        await s.triage.getCase(rbkcOfficer, second.row.id, CTX)
      } finally {
        delete (db as { transaction?: unknown }).transaction
      }
      const rows = await db
        .selectFrom('audit_events')
        .select(['action', 'record_id'])
        .where('seq', '>', head.seq)
        .orderBy('seq')
        .execute()
      assert.deepEqual(
        rows.map((r) => [r.action, r.record_id]),
        [
          ['referral.viewed', second.row.id],
          ['person.viewed', second.row.person_id],
          ['person.viewed-as-duplicate', first.row.person_id],
        ],
      )
      assert.equal(transactions, 1, 'one transaction, one commit')
      assert.equal((await s.platform.audit.verify()).ok, true)
    })

    test('a phone many residents give shows its twenty oldest other records, each once, in the boroughs seen', async () => {
      const viewed = await newCase(
        referralBody({
          resident: {
            name: 'Hostel Resident',
            phone: '07700 900456',
            email: 'h.r@example.org',
            dateOfBirth: '1960-06-06',
          },
        }),
      )
      const person = await database.db
        .selectFrom('people')
        .selectAll()
        .where('id', '=', viewed.row.person_id)
        .executeTakeFirstOrThrow()
      const at = (i: number) => new Date(Date.UTC(2020, 0, 1, 0, 0, i)).toISOString()
      const row = (i: number, borough: string, more: object = {}) => ({
        ...person,
        id: newId(),
        borough_id: borough,
        full_name: `Another Resident ${i}`,
        name_key: `another resident ${i}`,
        date_of_birth: null,
        email: null,
        email_key: null,
        created_at: at(i),
        updated_at: at(i),
        ...more,
      })
      const rbkc = s.boroughs.rbkc as string
      const sharing = Array.from({ length: 30 }, (_, i) =>
        // The fourth shares every key: it is still one row.
        i === 3
          ? row(10 + i, rbkc, {
              name_key: person.name_key,
              date_of_birth: person.date_of_birth,
              email: person.email,
              email_key: person.email_key,
            })
          : row(10 + i, rbkc),
      )
      const merged = row(1, rbkc, { merged_into_id: sharing[0]?.id })
      const elsewhere = row(2, s.boroughs.wcc as string)
      await database.db
        .insertInto('people')
        .values([...sharing, merged, elsewhere])
        .execute()
      const { duplicates } = await s.people.view(rbkcOfficer, person.id, CTX)
      assert.deepEqual(
        duplicates.map((d) => d.person.id),
        sharing.slice(0, 20).map((p) => p.id),
      )
      assert.deepEqual(duplicates[3]?.reasons, ['name-and-date-of-birth', 'phone', 'email'])
      assert.ok(duplicates.every((d, i) => i === 3 || d.reasons.join() === 'phone'))
    })

    test('likely duplicates are shown, never merged silently; staff merge or mark them apart', async () => {
      const first = await newCase(
        referralBody({ resident: { name: 'Dup Person', phone: '07700 900555', dateOfBirth: '1944-04-04' } }),
      )
      const second = await newCase(
        referralBody({ resident: { name: 'DUP  person', phone: '07700 900999', dateOfBirth: '1944-04-04' } }),
      )
      const third = await newCase(
        referralBody({
          resident: { name: 'Other Name', phone: '+44 7700 900555', dateOfBirth: '1990-01-01' },
        }),
      )
      assert.notEqual(first.row.person_id, second.row.person_id, 'no silent match')
      const { duplicates: dups } = await s.people.view(rbkcOfficer, second.row.person_id, CTX)
      assert.deepEqual(
        dups.map((d) => [d.person.id, d.reasons]),
        [[first.row.person_id, ['name-and-date-of-birth']]],
      )
      const { duplicates: byPhone } = await s.people.view(rbkcOfficer, third.row.person_id, CTX)
      assert.deepEqual(
        byPhone.map((d) => d.reasons),
        [['phone']],
      )
      // Each duplicate shown is audited as viewed.
      const shown = await database.db
        .selectFrom('audit_events')
        .select('record_id')
        .where('action', '=', 'person.viewed-as-duplicate')
        .where('record_id', '=', first.row.person_id)
        .execute()
      assert.equal(shown.length, 2, 'once for each page that showed it')
      // Outside the officer's boroughs, a duplicate is not shown.
      const wccOfficer = staff([s.boroughs.wcc as string])
      await assert.rejects(s.people.view(wccOfficer, third.row.person_id, CTX), NotFound)

      await s.triage.markDistinct(
        rbkcOfficer,
        { referralId: third.row.id, otherId: first.row.person_id },
        CTX,
      )
      assert.deepEqual((await s.people.view(rbkcOfficer, third.row.person_id, CTX)).duplicates, [])

      await s.triage.mergePerson(
        rbkcOfficer,
        { referralId: second.row.id, otherId: first.row.person_id },
        CTX,
      )
      const moved = await database.db
        .selectFrom('referrals')
        .select('person_id')
        .where('id', '=', second.row.id)
        .executeTakeFirstOrThrow()
      assert.equal(moved.person_id, first.row.person_id)
      const merged = await database.db
        .selectFrom('people')
        .selectAll()
        .where('id', '=', second.row.person_id)
        .executeTakeFirstOrThrow()
      assert.equal(merged.merged_into_id, first.row.person_id)
      await assert.rejects(
        s.people.merge(rbkcOfficer, { keepId: first.row.person_id, mergeId: second.row.person_id }, CTX),
        Invalid,
      )
    })

    test('a transfer moves the case, its teams and its person to the other borough', async () => {
      const c = await newCase(referralBody({ resident: { phone: '07700 900777' } }))
      await s.triage.transfer(
        rbkcOfficer,
        { referralId: c.row.id, borough: 'wcc', reason: 'Lives in Westminster now' },
        CTX,
      )
      await assert.rejects(s.triage.getCase(rbkcOfficer, c.row.id, CTX), NotFound)
      const need = await database.db
        .selectFrom('referral_needs')
        .select('team_code')
        .where('id', '=', c.need.id)
        .executeTakeFirstOrThrow()
      assert.equal(need.team_code, 'wcc-devices')
      const seen = await s.triage.getCase(staff([s.boroughs.wcc as string]), c.row.id, CTX)
      assert.equal(seen.person.borough_id, s.boroughs.wcc)
    })

    test("a transfer moves the referral's search words to the other borough", async () => {
      const c = await newCase(
        referralBody({ resident: { name: 'Transferred Wordsworth', phone: '07700 900778' } }),
      )
      const wcc = staff([s.boroughs.wcc as string])
      const found = async (officer: ReturnType<typeof staff>, search: string) =>
        (await s.triage.queue(officer, { search, page: 1 })).rows.map((r) => r.id)
      assert.deepEqual(await found(rbkcOfficer, 'wordsworth transferred'), [c.row.id])
      await s.triage.transfer(rbkcOfficer, { referralId: c.row.id, borough: 'wcc', reason: 'Moved' }, CTX)
      for (const search of ['wordsworth', 'wordsworth transferred', 'wordsworth W8 4RT'])
        assert.deepEqual(await found(rbkcOfficer, search), [], `not in Kensington by ${search}`)
      for (const search of ['wordsworth', 'transferred wordsw', 'wordsworth w84'])
        assert.deepEqual(await found(wcc, search), [c.row.id], `in Westminster by ${search}`)
      const boroughs = await database.db
        .selectFrom('referral_search_words')
        .select('borough_id')
        .distinct()
        .where('referral_id', '=', c.row.id)
        .execute()
      assert.deepEqual(boroughs, [{ borough_id: s.boroughs.wcc }])
    })

    test('the Idempotency-Key returns the first referral; reused with another body it is refused', async () => {
      const meta = {
        source: 'partner-api' as const,
        organisationId: await partnerOrganisation('Idempotent Partner'),
        privacyNoticeVersion: 'v1',
      }
      const a = await s.referrals.submit(
        referralBody(),
        { ...meta, idempotency: { key: 'key-12345', bodyHash: 'h1' } },
        CTX,
      )
      const b = await s.referrals.submit(
        referralBody(),
        { ...meta, idempotency: { key: 'key-12345', bodyHash: 'h1' } },
        CTX,
      )
      assert.equal(b.reference, a.reference)
      assert.equal(b.created, false)
      await assert.rejects(
        s.referrals.submit(
          referralBody(),
          { ...meta, idempotency: { key: 'key-12345', bodyHash: 'h2' } },
          CTX,
        ),
        (e: unknown) => e instanceof HubError && e.statusCode === 422,
      )
    })

    test('two submissions of one journey at the same moment make one referral', async () => {
      const token = await s.referrals.startJourney()
      await s.referrals.saveJourney(token, {
        who: { who: 'self' },
        name: { name: 'Double Click' },
        dob: { choice: 'skip' },
        address: { hasAddress: 'yes' },
        postcode: { postcode: 'W8 4RT' },
        contact: { methods: ['library'] },
        language: { language: '', interpreter: 'no' },
        access: { accessNeeds: '' },
        needs: { needs: ['other'] },
        'need-other': { description: 'Help with a form' },
        reporting: {},
      })
      const before = await database.db.selectFrom('referrals').select('id').execute()
      const [x, y] = await Promise.all([
        s.referrals.submitJourney(token, 'v1', CTX),
        s.referrals.submitJourney(token, 'v1', CTX),
      ])
      assert.equal(x.reference, y.reference)
      const afterRows = await database.db.selectFrom('referrals').select('id').execute()
      assert.equal(afterRows.length, before.length + 1)
    })

    test('the daily digest lists requests not updated for N working days, once a day per team', async () => {
      const c = await newCase(referralBody({ resident: { phone: '07700 900888' } }))
      const old = new Date(Date.now() - 30 * 86_400_000).toISOString()
      await database.db
        .updateTable('referral_needs')
        .set({ updated_at: old })
        .where('id', '=', c.need.id)
        .execute()
      await database.db.deleteFrom('outbox').execute()
      const first = await s.triage.sendStaleDigest()
      assert.ok(first.teams >= 1)
      const digests = await database.db
        .selectFrom('outbox')
        .selectAll()
        .where('template', '=', 'referral-stale-digest')
        .execute()
      const rbkc = digests.find((d) => d.recipient === 'digital-inclusion@rbkc.example')
      assert.ok(rbkc, 'the devices team lead gets the list')
      const list = rbkc.personalisation_json.list ?? ''
      assert.match(list, new RegExp(c.row.reference.slice(0, 4)))
      // In the queue's words, not codes: "A device  Submitted  since 3 November 2026".
      assert.match(list, / {2}A device {2}Submitted {2}since \d{1,2} [A-Z][a-z]+ \d{4}/)
      assert.doesNotMatch(JSON.stringify(rbkc.personalisation_json), /Ana Test/)
      const again = await s.triage.sendStaleDigest()
      assert.equal(again.teams, 0)
      const queue = await s.triage.queue(rbkcOfficer, { staleOnly: true, page: 1 })
      assert.ok(queue.rows.some((r) => r.id === c.row.id && r.is_stale))
    })

    test("a team's digest lists its oldest open requests and counts them up to a limit", async () => {
      const made = []
      for (let day = 1; day <= 4; day++) {
        const c = await newCase()
        await database.db
          .updateTable('referral_needs')
          .set({ updated_at: `2001-01-0${day}T09:00:00.000Z`, ...(day === 1 ? { status: 'closed' } : {}) })
          .where('id', '=', c.need.id)
          .execute()
        made.push(c)
      }
      const team = made[0]?.need.team_code ?? ''
      const stale = (countUpTo: number) =>
        queueRepository.staleForTeam(database.db, team, '2001-12-31T00:00:00.000Z', 2, countUpTo)
      const twoOldest = made.slice(1, 3).map((c) => c.row.reference)
      const counted = await stale(3)
      assert.deepEqual(
        counted.rows.map((r) => r.reference),
        twoOldest,
        'the closed one is not stale',
      )
      assert.deepEqual([counted.total, counted.more], [3, false])
      const cut = await stale(2)
      assert.deepEqual([cut.rows.length, cut.total, cut.more], [2, 2, true])
      assert.deepEqual(
        await queueRepository.staleForTeam(database.db, 'no-such-team', new Date().toISOString(), 2, 3),
        {
          rows: [],
          total: 0,
          more: false,
        },
      )
      const email = referralMessages['referral-stale-digest']({
        serviceName: 'Hub',
        teamName: 'Devices',
        count: 'More than 1,000',
        listed: '50',
        days: '5',
        list: 'R-1',
        link: 'x',
      })
      assert.match(email.subject, /^More than 1,000 referral requests/)
      assert.match(email.body, /5 working days or more \(the 50 oldest of more than 1,000\)\./)
    })

    test('the queue searches by reference, name or postcode and filters by status and need', async () => {
      const c = await newCase(
        referralBody({ resident: { name: 'Searchable Σοφία', postcode: 'SW3 5EE', phone: '07700 900333' } }),
      )
      const byRef = await s.triage.queue(rbkcOfficer, { search: c.row.reference.toLowerCase(), page: 1 })
      assert.deepEqual(
        byRef.rows.map((r) => r.id),
        [c.row.id],
      )
      const byName = await s.triage.queue(rbkcOfficer, { search: 'σοφία', page: 1 })
      assert.ok(byName.rows.some((r) => r.id === c.row.id))
      const byPostcode = await s.triage.queue(rbkcOfficer, { search: 'sw35ee', page: 1 })
      assert.ok(byPostcode.rows.some((r) => r.id === c.row.id))
      const none = await s.triage.queue(rbkcOfficer, { search: 'SW3 5EE', need: 'home-library', page: 1 })
      assert.equal(none.rows.length, 0)
      const submitted = await s.triage.queue(rbkcOfficer, { status: 'submitted', need: 'device', page: 1 })
      assert.ok(submitted.rows.some((r) => r.id === c.row.id))
    })

    test('the queue finds names by the start of their words, and postcodes with or without the space', async () => {
      const c = await newCase(
        referralBody({
          resident: { name: "Máire O'Brien-Smythe", postcode: 'SW3 5EE', phone: '07700 900334' },
        }),
      )
      const found = async (search: string, officer = rbkcOfficer) =>
        (await s.triage.queue(officer, { search, page: 1 })).rows.some((r) => r.id === c.row.id)
      for (const search of [
        'máire',
        'MÁI',
        "o'brien",
        'O’Brien',
        'obrien',
        'smythe',
        'smy',
        "Máire O'Brien-Smythe",
        'smythe máire',
        'SW3 5EE',
        'sw35ee',
        'sw3',
        'SW3 5',
      ])
        assert.equal(await found(search), true, `found by ${search}`)
      for (const search of ['mythe', 'brien', 'aire', 'máire jones', 'W3 5EE', '5ee'])
        assert.equal(await found(search), false, `not found by ${search}`)
      const words = await database.db
        .selectFrom('referral_search_words')
        .select('word')
        .where('referral_id', '=', c.row.id)
        .orderBy('word')
        .execute()
      assert.deepEqual(
        words.map((w) => w.word),
        [
          ' máire obrien',
          ' máire smythe',
          ' máire sw35ee',
          ' obrien smythe',
          ' obrien sw35ee',
          ' smythe sw35ee',
          'máire',
          'obrien',
          'smythe',
          'sw35ee',
        ],
        'each word, and each two as a pair in byte order',
      )
    })

    test("a name or postcode in another borough's referral is not found outside that borough", async () => {
      const other = await newCase(
        referralBody({ resident: { name: 'Quillon Zebedee', postcode: 'W1D 3QF', phone: '07700 900335' } }),
      )
      const wccOfficer = staff([s.boroughs.wcc as string])
      const both = staff([s.boroughs.rbkc as string, s.boroughs.wcc as string])
      const ids = async (officer: ReturnType<typeof staff>, search: string) =>
        (await s.triage.queue(officer, { search, page: 1 })).rows.map((r) => r.id)
      for (const search of ['quill', 'zebedee', 'W1D 3QF'])
        assert.deepEqual(await ids(rbkcOfficer, search), [], `not found by ${search}`)
      assert.deepEqual(await ids(wccOfficer, 'quill'), [other.row.id])
      assert.deepEqual(await ids(both, 'zebedee quillon'), [other.row.id])
      assert.ok((await ids(both, 'w1d3')).includes(other.row.id))
    })

    test('a common word finds the newest first and counts up to the limit, as a rare one does', async () => {
      const made = []
      for (let i = 0; i < 4; i++)
        made.push(
          await newCase(referralBody({ resident: { name: `Commonword Person${i}`, phone: '07700 900336' } })),
        )
      const filter = { scope: null, staleBefore: new Date().toISOString(), limit: 2, offset: 1, countUpTo: 3 }
      const newest = made.map((m) => m.row.id).reverse()
      for (const text of ['commonword', 'commonword person', 'comm per']) {
        const page = await queueRepository.queue(database.db, { ...filter, search: { text } })
        assert.deepEqual(
          page.rows.map((r) => r.id),
          newest.slice(1, 3),
          text,
        )
        assert.deepEqual([page.total, page.more], [3, true], text)
      }
      const past = await queueRepository.queue(database.db, {
        ...filter,
        offset: 10,
        search: { text: 'commonword' },
      })
      assert.deepEqual([past.rows.length, past.total, past.more], [0, 3, true], 'counted past the last page')
      const one = await queueRepository.queue(database.db, { ...filter, search: { text: 'person2' } })
      assert.deepEqual([one.rows.length, one.total, one.more], [0, 1, false])
    })

    test('a search finds what every term starting a word finds, newest first, counted, in every scope', async () => {
      const names = [
        'Ana Bell',
        'Ana Belton',
        'Anabel Cole',
        'Bell Ana',
        'Cole Anders',
        'Belinda Ana-Bell',
        'Anabel Ana Bell',
      ]
      const made = []
      for (const [i, name] of names.entries())
        made.push(
          await newCase(
            referralBody({
              resident: { name, postcode: i % 2 ? 'W1D 3QF' : 'W8 4RT', phone: '07700 900340' },
            }),
          ),
        )
      // One term starting more words than are read one by one: read the queue's way.
      for (let i = 0; i < 40; i++)
        await newCase(
          referralBody({
            resident: { name: `Widename Zq${i} Zqx`, postcode: 'W8 4RT', phone: '07700 900341' },
          }),
        )
      await s.triage.changeNeed(
        rbkcOfficer,
        { referralId: made[2]?.row.id as string, needId: made[2]?.need.id as string, to: 'in-triage' },
        CTX,
      )
      const all = await database.db
        .selectFrom('referrals as r')
        .innerJoin('referral_needs as n', 'n.referral_id', 'r.id')
        .select(['r.id', 'r.resident_name', 'r.postcode', 'r.borough_id', 'r.created_at', 'n.status'])
        .orderBy('r.created_at', 'desc')
        .orderBy('r.id', 'desc')
        .execute()
      const { rbkc, wcc } = s.boroughs as { rbkc: string; wcc: string }
      for (const text of [
        'ana',
        'an',
        'ana bell',
        'bell ana',
        'an bel',
        'bel',
        'ana bel cole',
        'cole an',
        'W1D 3QF',
        'w1d',
        'ana w8',
        'zq',
        'zq1',
        'widename zq',
        'ana zzz',
        'bell bell',
      ])
        for (const [label, scope, more] of [
          ['everyone', null, {}],
          ['one borough', [rbkc], {}],
          ['both boroughs', [rbkc, wcc], {}],
          ['both, Westminster chosen', [rbkc, wcc], { borough: wcc }],
          ['in triage', null, { status: 'in-triage' as const }],
          ['made before the Belton one', [rbkc, wcc], { createdBefore: made[1]?.row.created_at }],
        ] as const) {
          const terms = searchTermsOf(text)
          const starts = (words: string[], term: string) => words.some((w) => w.startsWith(term))
          const expected = all
            .filter((r) => {
              const words = searchWordsOf(r.resident_name, r.postcode)
              return (
                (terms?.words.every((t) => starts(words, t)) ||
                  (terms?.whole !== null && starts(words, terms?.whole ?? ''))) &&
                (!scope || scope.includes(r.borough_id)) &&
                (!('borough' in more) || r.borough_id === more.borough) &&
                (!('status' in more) || r.status === more.status) &&
                (!('createdBefore' in more) || r.created_at <= (more.createdBefore as string))
              )
            })
            .map((r) => r.id)
          for (const [offset, limit, countUpTo] of [
            [0, 25, 1000],
            [1, 2, 3],
            [4, 2, 5],
          ] as const) {
            const page = await queueRepository.queue(database.db, {
              scope,
              ...more,
              search: { text },
              staleBefore: new Date().toISOString(),
              limit,
              offset,
              countUpTo,
            })
            const what: string = `${text}, ${label}, from ${offset}`
            assert.deepEqual(
              page.rows.map((r) => r.id),
              expected.slice(offset, offset + limit),
              what,
            )
            assert.deepEqual(
              [page.total, page.more],
              [Math.min(expected.length, countUpTo), expected.length > countUpTo],
              what,
            )
          }
        }
    })

    test('erasing a referral leaves none of its words behind', async () => {
      const c = await newCase(
        referralBody({ resident: { name: 'Erasable Resident', phone: '07700 900337' } }),
      )
      const register = referralPersonalData.referral_search_words
      assert.equal(register?.erasure, 'delete', 'erasure deletes the words, whatever stays of the referral')
      assert.equal(register?.columns.word, 'identity')
      const words = () =>
        database.db
          .selectFrom('referral_search_words')
          .select('word')
          .where('referral_id', '=', c.row.id)
          .execute()
      assert.deepEqual(
        (await words())
          .map((w) => w.word)
          .filter((w) => !w.startsWith(' '))
          .sort(),
        ['erasable', 'resident', 'w84rt'],
      )
      await database.db.deleteFrom('referral_events').where('referral_id', '=', c.row.id).execute()
      await database.db.deleteFrom('referral_needs').where('referral_id', '=', c.row.id).execute()
      await database.db.deleteFrom('referrals').where('id', '=', c.row.id).execute()
      assert.deepEqual(await words(), [])
    })

    test('the queue counts its matches up to a limit, and says when there are more', async () => {
      for (let i = 0; i < 3; i++) await newCase()
      const filter = {
        scope: null,
        staleBefore: new Date().toISOString(),
        limit: 2,
        offset: 0,
      }
      const all = await queueRepository.queue(database.db, { ...filter, countUpTo: 1_000_000 })
      assert.ok(all.total >= 3)
      assert.equal(all.more, false)
      assert.equal(all.rows.length, 2)
      const capped = await queueRepository.queue(database.db, { ...filter, countUpTo: all.total - 1 })
      assert.deepEqual([capped.total, capped.more], [all.total - 1, true])
      const exact = await queueRepository.queue(database.db, { ...filter, countUpTo: all.total })
      assert.deepEqual([exact.total, exact.more], [all.total, false])
      assert.deepEqual(
        capped.rows.map((r) => r.id),
        all.rows.map((r) => r.id),
      )
    })

    test("the staff home's counts of what waits stop at a limit and say when there are more", async () => {
      for (let i = 0; i < 3; i++) await newCase()
      const counts = (upTo: number) =>
        queueRepository.waiting(database.db, null, new Date(Date.now() + 60_000).toISOString(), newId(), upTo)
      const all = await counts(1_000_000)
      assert.ok(all.fresh.total >= 3 && all.stale.total >= 3)
      assert.deepEqual([all.fresh.more, all.stale.more, all.mine], [false, false, { total: 0, more: false }])
      const capped = await counts(all.fresh.total - 1)
      assert.deepEqual(capped.fresh, { total: all.fresh.total - 1, more: true })
      const exact = await counts(all.fresh.total)
      assert.deepEqual(exact.fresh, { total: all.fresh.total, more: false })
      const none = await queueRepository.waiting(database.db, [], new Date().toISOString(), newId(), 10)
      assert.deepEqual(none.fresh, { total: 0, more: false }, 'an empty scope sees nothing')
      // Every borough counted without the referrals (null) and through them (both boroughs): the same.
      const both = [s.boroughs.rbkc as string, s.boroughs.wcc as string]
      const staleBefore = new Date(Date.now() + 60_000).toISOString()
      const scoped = await queueRepository.waiting(database.db, both, staleBefore, newId(), 1_000_000)
      assert.deepEqual([scoped.fresh, scoped.stale], [all.fresh, all.stale])
    })

    /** A real account through the accounts service; returned as the StaffUser it signs in as. */
    async function account(roles: string[], boroughs: 'all' | string[], name: string) {
      const { id } = await s.accounts.createUser(
        {
          name,
          email: `${name.replace(/\W/g, '').toLowerCase()}.${newId()}@hub.test`,
          roles,
          allBoroughs: boroughs === 'all',
          boroughIds: boroughs === 'all' ? [] : boroughs.map((b) => s.boroughs[b] as string),
        },
        CTX,
      )
      const user = await s.accounts.loadStaffUser(id)
      assert.ok(user)
      return user
    }

    async function assignedOf(referralId: string) {
      return database.db
        .selectFrom('referrals')
        .select(['assigned_user_id', 'assigned_name'])
        .where('id', '=', referralId)
        .executeTakeFirstOrThrow()
    }

    test('a case is given to an active triage officer of its borough; anyone else is refused', async () => {
      const ana = await account(['triage-officer'], ['rbkc'], 'Ana Assignee')
      const everywhere = await account(['triage-officer'], 'all', 'Bo Everywhere')
      const westminster = await account(['triage-officer'], ['wcc'], 'Cy Westminster')
      const manager = await account(['manager'], ['rbkc'], 'Di Manager')
      const gone = await account(['triage-officer'], ['rbkc'], 'Ed Disabled')
      await s.accounts.setDisabled(staff('all', ['users.manage']), gone.id, true, CTX)

      const officers = await s.accounts.triageOfficers(rbkcOfficer, [s.boroughs.rbkc as string])
      const ids = officers.map((o) => o.id)
      assert.ok(ids.includes(ana.id) && ids.includes(everywhere.id), 'officers of the borough and of all')
      for (const out of [westminster, manager, gone]) assert.ok(!ids.includes(out.id), out.name)
      assert.deepEqual(Object.keys(officers[0] ?? {}).sort(), ['id', 'name'], 'id and name only')
      // A caller scoped to Kensington and Chelsea cannot list Westminster's officers.
      const asked = await s.accounts.triageOfficers(rbkcOfficer, [s.boroughs.wcc as string])
      assert.deepEqual(asked, [])

      const c = await newCase(referralBody({ resident: { phone: '07700 900321' } }))
      await s.triage.assign(rbkcOfficer, { referralId: c.row.id, to: ana.id }, CTX)
      assert.deepEqual(await assignedOf(c.row.id), {
        assigned_user_id: ana.id,
        assigned_name: 'Ana Assignee',
      })
      const refusedOfficer = (e: unknown) =>
        e instanceof Invalid && e.message === 'triage.refusal.officer' && e.field === 'to'
      for (const other of [westminster.id, manager.id, gone.id, newId()])
        await assert.rejects(
          s.triage.assign(rbkcOfficer, { referralId: c.row.id, to: other }, CTX),
          refusedOfficer,
        )
      assert.equal((await assignedOf(c.row.id)).assigned_user_id, ana.id, 'a refusal changes nothing')

      // A manager may give the case to an officer, but cannot take it: they do not triage.
      const managerUser = staff([s.boroughs.rbkc as string], ['referrals.view', 'referrals.assign'])
      await s.triage.assign(managerUser, { referralId: c.row.id, to: everywhere.id }, CTX)
      assert.equal((await assignedOf(c.row.id)).assigned_user_id, everywhere.id)
      await assert.rejects(s.triage.assign(manager, { referralId: c.row.id, to: 'me' }, CTX), refusedOfficer)
      await s.triage.assign(managerUser, { referralId: c.row.id, to: 'none' }, CTX)
      assert.equal((await assignedOf(c.row.id)).assigned_user_id, null)
      // Without the permission, nothing: not even to a proper officer.
      await assert.rejects(
        s.triage.assign(staff('all', ['referrals.view']), { referralId: c.row.id, to: ana.id }, CTX),
        (e: unknown) => e instanceof HubError && e.statusCode === 403,
      )
      // The officer's own "me" still works.
      await s.triage.assign(ana, { referralId: c.row.id, to: 'me' }, CTX)
      assert.equal((await assignedOf(c.row.id)).assigned_user_id, ana.id)

      const audits = await database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('record_id', '=', c.row.id)
        .where('action', '=', 'referral.assigned')
        .execute()
      assert.equal(audits.length, 4)
      assert.doesNotMatch(JSON.stringify(audits), /Ana Assignee|Bo Everywhere/, 'no names in the audit')

      // Once in Westminster, the case cannot go to an officer of Kensington and Chelsea only.
      await s.triage.transfer(rbkcOfficer, { referralId: c.row.id, borough: 'wcc', reason: 'Moved' }, CTX)
      const wccLead = staff([s.boroughs.wcc as string])
      await assert.rejects(
        s.triage.assign(wccLead, { referralId: c.row.id, to: ana.id }, CTX),
        refusedOfficer,
      )
      await s.triage.assign(wccLead, { referralId: c.row.id, to: westminster.id }, CTX)
      const seen = await s.triage.getCase(wccLead, c.row.id, CTX)
      assert.ok(seen.officers.some((o) => o.id === westminster.id))
      assert.ok(!seen.officers.some((o) => o.id === ana.id))

      // The queue's officer filter offers the same officers, by name.
      const queue = await s.triage.queue(rbkcOfficer, { page: 1 })
      assert.deepEqual(queue.officers, officers)
    })

    test('the queue filters by officer, by none, by days waiting and by borough, asked again with other values', async () => {
      const ana = await account(['triage-officer'], ['rbkc'], 'Ana Filtered')
      const bo = await account(['triage-officer'], ['rbkc'], 'Bo Filtered')
      const toAna = await newCase(referralBody({ resident: { phone: '07700 900411' } }))
      const toBo = await newCase(referralBody({ resident: { phone: '07700 900412' } }))
      const nobody = await newCase(referralBody({ resident: { phone: '07700 900413' } }))
      await s.triage.assign(rbkcOfficer, { referralId: toAna.row.id, to: ana.id }, CTX)
      await s.triage.assign(rbkcOfficer, { referralId: toBo.row.id, to: bo.id }, CTX)
      const ids = async (query: Omit<QueueQuery, 'page'>, user = rbkcOfficer) =>
        (await s.triage.queue(user, { ...query, page: 1 })).rows.map((r) => r.id)

      // The same filters with another value: the query kept for them reads the new value.
      assert.deepEqual(await ids({ officer: ana.id }), [toAna.row.id])
      assert.deepEqual(await ids({ officer: bo.id }), [toBo.row.id])
      const unassigned = await ids({ officer: 'none' })
      assert.ok(unassigned.includes(nobody.row.id))
      assert.ok(!unassigned.includes(toAna.row.id) && !unassigned.includes(toBo.row.id))

      const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString()
      await database.db
        .updateTable('referrals')
        .set({ created_at: monthAgo })
        .where('id', '=', toBo.row.id)
        .execute()
      assert.deepEqual(await ids({ minDays: 20, officer: bo.id }), [toBo.row.id])
      assert.deepEqual(await ids({ minDays: 20, officer: ana.id }), [])
      const old = await ids({ minDays: 20 })
      assert.ok(old.includes(toBo.row.id) && !old.includes(nobody.row.id))

      // Both boroughs' staff see the newest of each merged; one borough's filter, that borough only.
      const both = staff([s.boroughs.rbkc as string, s.boroughs.wcc as string])
      const merged = (await s.triage.queue(both, { page: 1 })).rows
      const times = merged.map((r) => r.created_at)
      assert.deepEqual(times, [...times].sort().reverse(), 'the newest first')
      assert.ok(merged.some((r) => r.id === nobody.row.id))
      assert.ok((await ids({ borough: 'rbkc' }, both)).includes(nobody.row.id))
      assert.deepEqual(await ids({ borough: 'wcc', officer: ana.id }, both), [])
    })

    test("a partner sees their organisation's referrals, paginated; never another's, never notes", async () => {
      const mine = await partnerOrganisation('My Partner')
      const theirs = await partnerOrganisation('Their Partner')
      await sharingAgreed(s.partnership, mine)
      const made: string[] = []
      for (let i = 0; i < PARTNER_PAGE_SIZE + 1; i++) {
        const { reference } = await s.referrals.submit(
          referralBody({
            resident: { name: `Partner Resident ${i}`, phone: `07700 91${String(i).padStart(4, '0')}` },
          }),
          { source: 'partner-api', organisationId: mine, privacyNoticeVersion: 'v1' },
          CTX,
        )
        made.push(reference)
      }
      const other = await s.referrals.submit(
        referralBody({ resident: { phone: '07700 919999' } }),
        { source: 'partner-api', organisationId: theirs, privacyNoticeVersion: 'v1' },
        CTX,
      )
      const first = await database.db
        .selectFrom('referrals')
        .innerJoin('referral_needs', 'referral_needs.referral_id', 'referrals.id')
        .select(['referrals.id', 'referral_needs.id as needId'])
        .where('reference', '=', made[0] as string)
        .executeTakeFirstOrThrow()
      for (const to of ['in-triage', 'declined'] as const)
        await s.triage.changeNeed(
          rbkcOfficer,
          { referralId: first.id, needId: first.needId, to, ...extra(to), note: 'PRIVATE NOTE' },
          CTX,
        )

      const partner = { ...staff([s.boroughs.rbkc as string], ['referrals.submit']), organisationId: mine }
      const page1 = await s.referrals.partnerReferrals(partner, 1, CTX)
      const page2 = await s.referrals.partnerReferrals(partner, 2, CTX)
      assert.ok(page1.linked)
      assert.equal(page1.total, PARTNER_PAGE_SIZE + 1)
      assert.equal(page1.pages, 2)
      assert.equal(page1.rows.length, PARTNER_PAGE_SIZE)
      assert.equal(page2.rows.length, 1)
      const shown = [...page1.rows, ...page2.rows].map((r) => r.reference.replace('-', ''))
      assert.deepEqual(shown.sort(), [...made].sort())
      assert.ok(!shown.includes(other.reference), "never another organisation's referral")
      const declined = [...page1.rows, ...page2.rows].find((r) => r.reference.replace('-', '') === made[0])
      assert.deepEqual(declined?.needs, [{ kind: 'device', status: 'declined', outcome: null }])
      const text = JSON.stringify([page1, page2])
      assert.doesNotMatch(
        text,
        /PRIVATE NOTE|Partner Resident|Has one already|07700/,
        'no notes or personal data',
      )

      const unlinked = await s.referrals.partnerReferrals({ ...partner, organisationId: null }, 1, CTX)
      assert.deepEqual(unlinked, { linked: false, rows: [], total: 0, pages: 1 })
      await assert.rejects(
        s.referrals.partnerReferrals({ ...rbkcOfficer, organisationId: mine }, 1, CTX),
        (e: unknown) => e instanceof HubError && e.statusCode === 403,
      )
    })
  })
}

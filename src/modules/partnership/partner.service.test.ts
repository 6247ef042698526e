import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Invalid } from '#platform/errors.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { referralBody, staff } from '../referrals/testing.ts'
import { addDays, today } from './agreement.ts'
import { agreementInput, CTX, lead } from './testing.ts'

for (const dialect of DIALECTS) {
  describe(`partners and data-sharing agreements on ${dialect}`, () => {
    let hub: TestHub
    const pat = lead()

    before(async () => {
      hub = await testHub(dialect)
    })
    after(() => hub.close())

    async function partner(name: string) {
      return hub.directory.findOrCreatePartnerOrganisation(
        { name, code: name.toLowerCase().replace(/\W+/g, '-') },
        CTX,
      )
    }

    /** A referral in triage whose need goes to a team of `organisationCode` when routed. */
    async function caseForPartner(organisationCode: string) {
      const rbkc = (await hub.referrals.boroughs()).byCode.get('rbkc')?.id as string
      const teamCode = `team-of-${organisationCode}`
      if (!hub.referrals.rules.teams.some((t) => t.code === teamCode))
        hub.referrals.rules.teams.push({
          code: teamCode,
          borough: 'rbkc',
          name: `${organisationCode} team`,
          leadEmail: 'team@partner.test',
          organisation: organisationCode,
        })
      const { reference } = await hub.referrals.submit(
        referralBody(),
        { source: 'partner-web', privacyNoticeVersion: 'v1' },
        CTX,
      )
      const row = await hub.database.db
        .selectFrom('referrals')
        .selectAll()
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow()
      // The need is sent to the partner's team (routing.json names the organisation of a partner's team).
      await hub.database.db
        .updateTable('referral_needs')
        .set({ team_code: teamCode })
        .where('referral_id', '=', row.id)
        .execute()
      const need = await hub.database.db
        .selectFrom('referral_needs')
        .selectAll()
        .where('referral_id', '=', row.id)
        .executeTakeFirstOrThrow()
      const officer = staff([rbkc], ['referrals.view', 'referrals.triage'])
      await hub.referrals.changeNeed(officer, { referralId: row.id, needId: need.id, to: 'in-triage' }, CTX)
      return { referralId: row.id, needId: need.id, officer }
    }

    async function needStatus(needId: string) {
      const row = await hub.database.db
        .selectFrom('referral_needs')
        .select('status')
        .where('id', '=', needId)
        .executeTakeFirstOrThrow()
      return row.status
    }

    function disclosures(agreementId?: string) {
      let q = hub.database.db.selectFrom('sharing_disclosures').selectAll()
      if (agreementId) q = q.where('agreement_id', '=', agreementId)
      return q.execute()
    }

    test('an agreement whose review date is before its start is refused and nothing is saved', async () => {
      const org = await partner('Early Review Trust')
      const before = (await hub.partnership.listAgreements(pat)).length
      await assert.rejects(
        hub.partnership.createAgreement(
          pat,
          agreementInput(org.id, { startsOn: '2027-05-01', reviewOn: '2027-04-30' }),
          CTX,
        ),
        (e: unknown) =>
          e instanceof Invalid &&
          e.message === 'partnership.errors.reviewBeforeStart' &&
          e.field === 'reviewOn',
      )
      assert.equal((await hub.partnership.listAgreements(pat)).length, before)
    })

    test('routing a request to a partner without an agreement in force is refused and changes nothing', async () => {
      const org = await partner('No Agreement Charity')
      const c = await caseForPartner('no-agreement-charity')
      const before = (await disclosures()).length
      await assert.rejects(
        hub.referrals.changeNeed(
          c.officer,
          { referralId: c.referralId, needId: c.needId, to: 'routed' },
          CTX,
        ),
        (e: unknown) => e instanceof Invalid && e.message === 'triage.refusal.noAgreement',
      )
      assert.equal(await needStatus(c.needId), 'in-triage')
      assert.equal((await disclosures()).length, before)

      // A draft agreement, or one that leaves out a data item routing discloses, is no agreement for this.
      await hub.partnership.createAgreement(pat, agreementInput(org.id, { status: 'draft' }), CTX)
      await hub.partnership.createAgreement(
        pat,
        agreementInput(org.id, { dataItems: ['name', 'contact-details', 'needs'] }),
        CTX,
      )
      await assert.rejects(
        hub.referrals.changeNeed(
          c.officer,
          { referralId: c.referralId, needId: c.needId, to: 'routed' },
          CTX,
        ),
        /noAgreement/,
      )
      assert.equal(await needStatus(c.needId), 'in-triage')
    })

    test('routing under an agreement in force is allowed and recorded against that agreement', async () => {
      const org = await partner('Agreed Partner')
      const agreementId = await hub.partnership.createAgreement(pat, agreementInput(org.id), CTX)
      const c = await caseForPartner('agreed-partner')
      await hub.referrals.changeNeed(
        c.officer,
        { referralId: c.referralId, needId: c.needId, to: 'routed' },
        CTX,
      )
      assert.equal(await needStatus(c.needId), 'routed')
      const [made] = await disclosures(agreementId)
      assert.equal(made?.referral_id, c.referralId)
      assert.equal(made?.purpose, 'referral')
      assert.deepEqual(made?.data_items_json, [
        'name',
        'contact-details',
        'address',
        'date-of-birth',
        'needs',
      ])
      const shown = await hub.partnership.getAgreement(pat, agreementId)
      assert.equal(shown.disclosureCount, 1)
    })

    test('a partner referrer sees their referrals only under an agreement, and each look is recorded', async () => {
      const org = await partner('Reading Partner')
      const referrer = { ...staff('all', ['referrals.submit']), organisationId: org.id }
      const refused = await hub.referrals.partnerReferrals(referrer, 1, CTX)
      assert.equal('refused' in refused && refused.refused, true)
      assert.equal(await hub.referrals.statusForPartner(org.id, 'ABCD-EFGH'), null, 'not theirs: not found')

      const agreementId = await hub.partnership.createAgreement(
        pat,
        agreementInput(org.id, { purposes: ['referral-status'], dataItems: ['referral-status'] }),
        CTX,
      )
      const allowed = await hub.referrals.partnerReferrals(referrer, 1, CTX)
      assert.ok(!('refused' in allowed))
      assert.equal((await disclosures(agreementId)).length, 1)
    })

    test('the partner API answers 403 on a referral status without an agreement', async () => {
      const org = await partner('Api Partner')
      const { reference } = await hub.referrals.submit(
        referralBody(),
        { source: 'partner-api', privacyNoticeVersion: 'v1', organisationId: org.id },
        CTX,
      )
      assert.equal(await hub.referrals.statusForPartner(org.id, reference), 'refused')
      await hub.partnership.createAgreement(
        pat,
        agreementInput(org.id, { purposes: ['referral-status'], dataItems: ['referral-status'] }),
        CTX,
      )
      const found = await hub.referrals.statusForPartner(org.id, reference)
      assert.ok(found && found !== 'refused' && found.reference === reference)
    })

    test('an agreement near its review date warns the lead once; past it, it lapses and refuses', async () => {
      const org = await partner('Lapsing Partner')
      const reviewOn = addDays(today(), 60)
      const agreementId = await hub.partnership.createAgreement(
        pat,
        agreementInput(org.id, { reviewOn }),
        CTX,
      )
      const warnings = () =>
        hub.database.db
          .selectFrom('outbox')
          .selectAll()
          .where('template', '=', 'partnership-agreement-lapsing')
          .execute()
      const ours = async () =>
        (await warnings()).filter((m) => m.personalisation_json.partner === 'Lapsing Partner')

      await hub.partnership.reviewAgreements(new Date())
      assert.equal((await ours()).length, 0, 'not yet: 60 days ahead')
      const soon = new Date(`${addDays(reviewOn, -10)}T09:00:00Z`)
      await hub.partnership.reviewAgreements(soon)
      await hub.partnership.reviewAgreements(soon)
      const sent = await ours()
      assert.equal(sent.length, 1, 'warned once')
      assert.equal(sent[0]?.recipient, 'partnership-lead@hub.example')
      assert.equal(sent[0]?.personalisation_json.reviewOn, reviewOn)

      await hub.partnership.reviewAgreements(new Date(`${addDays(reviewOn, 1)}T09:00:00Z`))
      assert.equal((await hub.partnership.getAgreement(pat, agreementId)).agreement.status, 'lapsed')
      const c = await caseForPartner('lapsing-partner')
      await assert.rejects(
        hub.referrals.changeNeed(
          c.officer,
          { referralId: c.referralId, needId: c.needId, to: 'routed' },
          CTX,
        ),
        /noAgreement/,
      )
    })

    test('agreement status moves only along the allowed paths', async () => {
      const org = await partner('Status Partner')
      const id = await hub.partnership.createAgreement(
        pat,
        agreementInput(org.id, { status: 'draft', signedOffBy: null }),
        CTX,
      )
      await assert.rejects(
        hub.partnership.changeAgreementStatus(pat, { id, to: 'lapsed' }, CTX),
        /statusNotAllowed/,
      )
      await assert.rejects(
        hub.partnership.changeAgreementStatus(pat, { id, to: 'in-force' }, CTX),
        /signedOffMissing/,
      )
      await hub.partnership.changeAgreementStatus(pat, { id, to: 'in-force', signedOffBy: 'Both DPOs' }, CTX)
      await hub.partnership.changeAgreementStatus(pat, { id, to: 'ended' }, CTX)
      assert.equal((await hub.partnership.getAgreement(pat, id)).agreement.status, 'ended')
    })

    test('a partner profile and contacts extend the directory organisation, one record', async () => {
      const org = await partner('Profile Partner')
      await hub.partnership.saveProfile(
        pat,
        org.id,
        {
          partnerType: 'charity',
          boroughs: ['rbkc', 'wcc'],
          charityNumber: '1234567',
          companyNumber: null,
          offers: 'Laptops',
          needs: 'Volunteers',
        },
        CTX,
      )
      await hub.partnership.addContact(
        pat,
        org.id,
        { name: 'Chris Contact', role: 'Manager', email: 'chris@partner.test', phone: null },
        CTX,
      )
      const shown = await hub.partnership.getPartner(pat, org.id)
      assert.equal(shown.organisation.name, 'Profile Partner')
      assert.equal(shown.profile?.charity_number, '1234567')
      assert.deepEqual(shown.profile?.boroughs_json, ['rbkc', 'wcc'])
      assert.equal(shown.contacts[0]?.name, 'Chris Contact')
      const listed = (await hub.partnership.listPartners(pat)).filter((p) => p.id === org.id)
      assert.equal(listed.length, 1)
      await assert.rejects(hub.partnership.listPartners(lead([])), /permission/)
    })
  })
}

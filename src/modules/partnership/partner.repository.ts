import type { Executor } from '#platform/database.ts'
import { readInBatches } from '#platform/in-batches.ts'
import type { AgreementStatus } from './agreement.ts'

declare module '#platform/database.ts' {
  interface Tables {
    partner_profiles: PartnerProfileTable
    partner_contacts: PartnerContactTable
    sharing_agreements: AgreementTable
    sharing_disclosures: DisclosureTable
  }
}

export interface PartnerProfileTable {
  id: string
  organisation_id: string
  partner_type: string
  /** Borough codes served. */
  boroughs_json: string[]
  charity_number: string | null
  company_number: string | null
  offers: string
  needs: string
  updated_at: string
}

export interface PartnerContactTable {
  id: string
  organisation_id: string
  name: string
  role: string
  email: string | null
  phone: string | null
  created_at: string
}

export interface AgreementTable {
  id: string
  organisation_id: string
  title: string
  purpose: string
  purposes_json: string[]
  /** The parties and their roles (controller, joint controller, processor), in words. */
  parties: string
  data_items_json: string[]
  lawful_basis: string
  special_category: string | null
  special_condition: string | null
  rights: string
  retention: string
  security: string
  starts_on: string
  review_on: string
  signed_off_by: string | null
  status: AgreementStatus
  /** The review date the partnership lead was last warned of: once per date. */
  lapse_warned_for: string | null
  created_at: string
  updated_at: string
}

export interface DisclosureTable {
  id: string
  agreement_id: string
  organisation_id: string
  purpose: string
  data_items_json: string[]
  referral_id: string | null
  borough_id: string | null
  user_id: string | null
  at: string
}

/** Partners' profiles and contacts, the agreements register and the disclosures made under it. */
export const partnerRepository = {
  findProfile(db: Executor, organisationId: string) {
    return db
      .selectFrom('partner_profiles')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .executeTakeFirst()
  },

  listProfiles(db: Executor) {
    return db.selectFrom('partner_profiles').selectAll().execute()
  },

  async upsertProfile(db: Executor, row: PartnerProfileTable): Promise<void> {
    const { id: _id, organisation_id: _org, ...fields } = row
    await db
      .insertInto('partner_profiles')
      .values(row)
      .onConflict((oc) => oc.column('organisation_id').doUpdateSet(fields))
      .execute()
  },

  contactsOf(db: Executor, organisationIds: readonly string[]) {
    if (!organisationIds.length) return Promise.resolve([])
    return db
      .selectFrom('partner_contacts')
      .selectAll()
      .where('organisation_id', 'in', organisationIds)
      .orderBy('name')
      .execute()
  },

  findContact(db: Executor, id: string) {
    return db.selectFrom('partner_contacts').selectAll().where('id', '=', id).executeTakeFirst()
  },

  contactsById(db: Executor, ids: readonly string[]) {
    return readInBatches(ids, (batch) =>
      db.selectFrom('partner_contacts').selectAll().where('id', 'in', batch).execute(),
    )
  },

  allContacts(db: Executor) {
    return db.selectFrom('partner_contacts').selectAll().orderBy('name').limit(2000).execute()
  },

  async insertContact(db: Executor, row: PartnerContactTable): Promise<void> {
    await db.insertInto('partner_contacts').values(row).execute()
  },

  async insertAgreement(db: Executor, row: AgreementTable): Promise<void> {
    await db.insertInto('sharing_agreements').values(row).execute()
  },

  findAgreement(db: Executor, id: string) {
    return db.selectFrom('sharing_agreements').selectAll().where('id', '=', id).executeTakeFirst()
  },

  listAgreements(db: Executor) {
    return db.selectFrom('sharing_agreements').selectAll().orderBy('review_on').limit(1000).execute()
  },

  agreementsWith(db: Executor, organisationId: string) {
    return db
      .selectFrom('sharing_agreements')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .orderBy('review_on', 'desc')
      .execute()
  },

  /** Agreements in force (by status): the lapse job's list. */
  inForce(db: Executor) {
    return db.selectFrom('sharing_agreements').selectAll().where('status', '=', 'in-force').execute()
  },

  async updateAgreement(db: Executor, id: string, fields: Partial<Omit<AgreementTable, 'id'>>) {
    await db.updateTable('sharing_agreements').set(fields).where('id', '=', id).execute()
  },

  /** Marks the lead warned of this review date; false when another process did it first. */
  async claimLapseWarning(db: Executor, id: string, reviewOn: string): Promise<boolean> {
    const result = await db
      .updateTable('sharing_agreements')
      .set({ lapse_warned_for: reviewOn })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('lapse_warned_for', 'is', null), eb('lapse_warned_for', '!=', reviewOn)]))
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },

  async insertDisclosure(db: Executor, row: DisclosureTable): Promise<void> {
    await db.insertInto('sharing_disclosures').values(row).execute()
  },

  disclosuresUnder(db: Executor, agreementId: string, limit = 50) {
    return db
      .selectFrom('sharing_disclosures')
      .selectAll()
      .where('agreement_id', '=', agreementId)
      .orderBy('at', 'desc')
      .limit(limit)
      .execute()
  },

  async countDisclosures(db: Executor, agreementId: string): Promise<number> {
    const row = await db
      .selectFrom('sharing_disclosures')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('agreement_id', '=', agreementId)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  },
}

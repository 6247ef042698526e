import { compiledInsert } from '#platform/compiled.ts'
import type { Executor } from '#platform/database.ts'

declare module '#platform/database.ts' {
  interface Tables {
    people: PersonTable
    person_distinct_pairs: PersonDistinctPairTable
  }
}

export interface PersonTable {
  id: string
  borough_id: string
  full_name: string
  name_key: string
  date_of_birth: string | null
  age_range: string | null
  phone: string | null
  phone_key: string | null
  email: string | null
  email_key: string | null
  postcode: string | null
  preferred_language: string | null
  /** Set when staff merged this record into another; the other is the person from then on. */
  merged_into_id: string | null
  created_at: string
  updated_at: string
}

/** Two records staff said are different people: never suggested again. Stored with the lower id first. */
export interface PersonDistinctPairTable {
  person_a_id: string
  person_b_id: string
  decided_by_user_id: string | null
  decided_at: string
}

// A record made with every referral sent: compiled once (see compiledInsert).
const insertPeople = compiledInsert('people')

/** All SQL of the people module. Each function takes the database or a transaction. */
export const personRepository = {
  async insert(db: Executor, row: PersonTable): Promise<void> {
    await insertPeople(db, [row])
  },

  find(db: Executor, id: string) {
    return db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst()
  },

  async update(db: Executor, id: string, fields: Partial<Omit<PersonTable, 'id'>>): Promise<void> {
    await db.updateTable('people').set(fields).where('id', '=', id).execute()
  },

  /** Live records in the boroughs given (null: all) sharing a key with the person, but not the person. */
  candidates(
    db: Executor,
    person: Pick<PersonTable, 'id' | 'name_key' | 'date_of_birth' | 'phone_key' | 'email_key'>,
    boroughs: readonly string[] | null,
    limit: number,
  ) {
    let q = db
      .selectFrom('people')
      .selectAll()
      .where('id', '!=', person.id)
      .where('merged_into_id', 'is', null)
      .where((eb) => {
        const ors = []
        if (person.date_of_birth)
          ors.push(
            eb.and([eb('name_key', '=', person.name_key), eb('date_of_birth', '=', person.date_of_birth)]),
          )
        if (person.phone_key) ors.push(eb('phone_key', '=', person.phone_key))
        if (person.email_key) ors.push(eb('email_key', '=', person.email_key))
        return ors.length ? eb.or(ors) : eb.val(false)
      })
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('person_distinct_pairs')
              .select('person_a_id')
              .where((eb) =>
                eb.or([
                  eb.and([eb('person_a_id', '=', person.id), eb('person_b_id', '=', eb.ref('people.id'))]),
                  eb.and([eb('person_b_id', '=', person.id), eb('person_a_id', '=', eb.ref('people.id'))]),
                ]),
              ),
          ),
        ),
      )
    if (boroughs)
      q = boroughs.length ? q.where('borough_id', 'in', boroughs) : q.where(({ val }) => val(false))
    return q.orderBy('created_at').limit(limit).execute()
  },

  async insertDistinctPair(db: Executor, row: PersonDistinctPairTable): Promise<void> {
    await db
      .insertInto('person_distinct_pairs')
      .values(row)
      .onConflict((oc) => oc.columns(['person_a_id', 'person_b_id']).doNothing())
      .execute()
  },

  /** Records merged into `fromId` earlier follow it into `toId`. */
  async repointMerged(db: Executor, fromId: string, toId: string, at: string): Promise<void> {
    await db
      .updateTable('people')
      .set({ merged_into_id: toId, updated_at: at })
      .where('merged_into_id', '=', fromId)
      .execute()
  },
}

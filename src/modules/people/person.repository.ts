import type { SelectQueryBuilder } from 'kysely'
import { compiledInsert, compiledOnce } from '#platform/compiled.ts'
import type { Executor, Tables } from '#platform/database.ts'

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

/**
 * The query of personRepository.candidates, compiled once for each set of keys the person has (a key
 * that is null is left out): it runs on every view of a case, and Kysely built it in more CPU than
 * SQLite took to run it.
 */
const candidateRows = compiledOnce(
  (
    db: Executor,
    id: string,
    nameKey: string | null,
    born: string | null,
    phone: string | null,
    email: string | null,
    boroughs: readonly string[] | null,
    limit: number,
  ) => {
    const sharing = (key: (q: SelectQueryBuilder<Tables, 'people', object>) => typeof q) =>
      key(db.selectFrom('people'))
        .selectAll()
        .where('id', '!=', id)
        .where('merged_into_id', 'is', null)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('person_distinct_pairs')
                .select('person_a_id')
                .where((eb) =>
                  eb.or([
                    eb.and([eb('person_a_id', '=', id), eb('person_b_id', '=', eb.ref('people.id'))]),
                    eb.and([eb('person_b_id', '=', id), eb('person_a_id', '=', eb.ref('people.id'))]),
                  ]),
                ),
            ),
          ),
        )
        .$if(boroughs !== null, (q) => q.where('borough_id', 'in', boroughs ?? []))
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
    const each = [
      ...(born && nameKey
        ? [sharing((q) => q.where('name_key', '=', nameKey).where('date_of_birth', '=', born))]
        : []),
      ...(phone ? [sharing((q) => q.where('phone_key', '=', phone))] : []),
      ...(email ? [sharing((q) => q.where('email_key', '=', email))] : []),
    ]
    const [first, ...rest] = each.map((q, i) => db.selectFrom(q.as(`k${i}`)).selectAll())
    // Union: a record sharing two keys is one row. (The caller asks only with a key.)
    const shared = first as NonNullable<typeof first>
    return db
      .selectFrom(rest.reduce((all, q) => all.union(q), shared).as('u'))
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
  },
)

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

  /**
   * The oldest `limit` live records in the boroughs given (null: all) sharing a key with the person, but
   * not the person. Each key is read from its index in order, as far as `limit`, and the three merged: a
   * phone number many residents give (a hostel's, a charity's) is hundreds of records, and one query with
   * the keys or'ed together read and sorted every one of them on each view of a case.
   */
  candidates(
    db: Executor,
    person: Pick<PersonTable, 'id' | 'name_key' | 'date_of_birth' | 'phone_key' | 'email_key'>,
    boroughs: readonly string[] | null,
    limit: number,
  ) {
    if (boroughs?.length === 0) return Promise.resolve([])
    const { date_of_birth: born, phone_key: phone, email_key: email } = person
    if (!born && !phone && !email) return Promise.resolve([])
    return candidateRows(
      db,
      person.id,
      born ? person.name_key : null,
      born || null,
      phone || null,
      email || null,
      boroughs,
      limit,
    )
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

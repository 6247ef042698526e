import type { HubMigration } from '#platform/migrate.ts'
import { searchWordsOf } from '../search-words.ts'

/** Referrals read a batch at a time to fill the table. */
const BATCH = 2_000
/** Words inserted a statement: two values each, under SQLite's 32,766 bound values. */
const WORDS = 10_000

/**
 * The words staff search referrals by (search-words.ts), each referral's name words and postcode:
 * searched by the start of a word through (word, referral_id), deleted with the referral through the key.
 * Filled for the referrals there are, in batches by id.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await db.schema
      .createTable('referral_search_words')
      .addColumn('referral_id', t.id, (c) => c.notNull().references('referrals.id').onDelete('cascade'))
      .addColumn('word', t.bytewiseText, (c) => c.notNull())
      .addPrimaryKeyConstraint('referral_search_words_pk', ['referral_id', 'word'])
      .execute()
    await db.schema
      .createIndex('referral_search_words_word')
      .on('referral_search_words')
      .columns(['word', 'referral_id'])
      .execute()
    let after: string | null = null
    for (;;) {
      const referrals: { id: string; name_key: string; postcode: string | null }[] = await db
        .selectFrom('referrals')
        .select(['id', 'name_key', 'postcode'])
        .$if(after !== null, (q) => q.where('id', '>', after))
        .orderBy('id')
        .limit(BATCH)
        .execute()
      if (!referrals.length) return
      const words = referrals.flatMap((r) =>
        searchWordsOf(r.name_key, r.postcode).map((word) => ({ referral_id: r.id, word })),
      )
      for (let i = 0; i < words.length; i += WORDS)
        await db
          .insertInto('referral_search_words')
          .values(words.slice(i, i + WORDS))
          .execute()
      after = (referrals.at(-1) as { id: string }).id
    }
  },
}

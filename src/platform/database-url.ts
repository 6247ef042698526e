import pg from 'pg'

/**
 * What a database URL says about the database, apart from the rest of database.ts: a thread that checks
 * the audit chain needs only this, and loading Kysely as well took a third of a second at its start.
 */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url)
}

// Postgres hands back timestamps as Date and bigint counts as strings; the Hub uses ISO strings and numbers.
export const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    switch (oid) {
      case 20: // int8, e.g. count(*)
      case 1700: // numeric
        return (v: string) => Number(v)
      case 1082: // date stays YYYY-MM-DD
        return (v: string) => v
      case 1114: // timestamp
      case 1184: // timestamptz
        return (v: string) => new Date(oid === 1114 ? `${v}Z` : v).toISOString()
      default:
        return pg.types.getTypeParser(oid, format)
    }
  },
}

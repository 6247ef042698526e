import type { Db } from './database.ts'

/**
 * What the Hub holds about people, table by table and column by column, declared by the module (or the
 * platform) that owns each table. Subject access, erasure and retention are built on this register, so a
 * test fails when a migration adds a table or a column the register does not classify.
 */
export type PersonalDataKind =
  /** Not about a person (codes, dates of the record, counters, foreign keys to other records). */
  | 'none'
  /** Who someone is: name, date of birth or age range, a reference that leads to them. */
  | 'identity'
  /** How to reach them: address, postcode, phone, email. */
  | 'contact'
  /** Other things about them: free text, preferences, circumstances, what they asked for. */
  | 'personal'
  /** UK GDPR Article 9: health, disability, ethnicity, religion, sexual orientation. */
  | 'special-category'
  /** UK GDPR Article 10: criminal convictions and offences (e.g. DBS check results). */
  | 'criminal-offence'
  /** Credentials: password hashes, token hashes. Never exported in a subject access request. */
  | 'secret'

/** What erasing a person does to this table's rows about them. */
export type Erasure =
  /** The rows are deleted. */
  | 'delete'
  /** The personal columns are blanked or replaced; the row stays for counts and the audit. */
  | 'anonymise'
  /** Rows are deleted with the record they belong to (a foreign key cascades, or the owner deletes them). */
  | 'with-parent'
  /** Rows expire and are purged by a job; erasure need not wait for them. */
  | 'expires'
  /** Nothing about a person is here. */
  | 'not-personal'

export interface PersonalDataTable {
  /** Whose data the rows are: a resident, a member of staff, a partner's contact... or nobody. */
  about: 'resident' | 'staff' | 'partner contact' | 'volunteer' | 'nobody'
  erasure: Erasure
  columns: Record<string, PersonalDataKind>
}

export type PersonalDataRegister = Record<string, PersonalDataTable>

/** Tables the migration runner keeps for itself: nothing about anyone. */
const RUNNER_TABLES = new Set(['schema_migrations', 'schema_migrations_lock'])

/**
 * What the database holds that the register does not classify, and what the register names that the
 * database does not hold: `table.column` each. Empty when every column of every table has its kind.
 */
export async function registerGaps(
  db: Db,
  register: ReadonlyMap<string, PersonalDataTable>,
): Promise<string[]> {
  const gaps: string[] = []
  const tables = (await db.introspection.getTables()).filter((t) => !RUNNER_TABLES.has(t.name))
  for (const table of tables) {
    const entry = register.get(table.name)
    if (!entry) {
      gaps.push(`${table.name} (no module claims this table)`)
      continue
    }
    for (const column of table.columns) {
      if (!Object.hasOwn(entry.columns, column.name))
        gaps.push(`${table.name}.${column.name} (not classified)`)
    }
    const present = new Set(table.columns.map((c) => c.name))
    for (const column of Object.keys(entry.columns)) {
      if (!present.has(column)) gaps.push(`${table.name}.${column} (in the register, not in the database)`)
    }
  }
  const present = new Set(tables.map((t) => t.name))
  for (const name of register.keys())
    if (!present.has(name)) gaps.push(`${name} (in the register, not in the database)`)
  return gaps
}

import {
  type ColumnDataType,
  type CreateTableBuilder,
  type Expression,
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  sql,
} from 'kysely'
import { BOOLEAN_COLUMN, type Database, type Dialect, JSON_COLUMN } from './database.ts'

/**
 * Column types picked per dialect, so that one migration set serves both databases.
 * The names follow the rules in database.ts, checked here so a wrong name fails at once.
 */
export interface ColumnTypes {
  dialect: Dialect
  id: ColumnDataType
  text: ColumnDataType
  /**
   * Text compared byte by byte (as SQLite compares text) whatever the database's locale: a range of it
   * (`>= 'smi' and < 'smj'`) then holds exactly the values starting with the same bytes.
   */
  bytewiseText: ColumnDataType | Expression<unknown>
  integer: ColumnDataType
  bigint: ColumnDataType
  real: ColumnDataType
  timestamp: ColumnDataType
  date: ColumnDataType
  bool(name: string): ColumnDataType
  json(name: string): ColumnDataType
  /** Adds `id` as primary key; every table keyed by a UUIDv7 string made by the app. */
  // biome-ignore lint/suspicious/noExplicitAny: migrations work on the untyped schema of their moment
  table(db: Kysely<any>, name: string): CreateTableBuilder<string, 'id'>
}

export function columnTypes(dialect: Dialect): ColumnTypes {
  const pg = dialect === 'postgres'
  const id: ColumnDataType = pg ? 'uuid' : 'text'
  return {
    dialect,
    id,
    text: 'text',
    bytewiseText: pg ? sql`text collate "C"` : 'text',
    integer: 'integer',
    bigint: pg ? 'bigint' : 'integer',
    real: pg ? 'double precision' : 'real',
    timestamp: pg ? 'timestamptz' : 'text',
    date: pg ? 'date' : 'text',
    bool(name) {
      if (!BOOLEAN_COLUMN.test(name))
        throw new Error(`Boolean column ${name} must be named is_*, has_* or can_*`)
      return pg ? 'boolean' : 'integer'
    },
    json(name) {
      if (!JSON_COLUMN.test(name)) throw new Error(`JSON column ${name} must end in _json`)
      return pg ? 'jsonb' : 'text'
    },
    table(db, name) {
      return db.schema.createTable(name).addColumn('id', id, (c) => c.primaryKey())
    },
  }
}

export interface HubMigration {
  // biome-ignore lint/suspicious/noExplicitAny: see ColumnTypes.table
  up(db: Kysely<any>, t: ColumnTypes): Promise<void>
}

/**
 * Drops each index and makes it again holding only the rows where `present` has a value: for columns empty
 * when most rows are written. Running it twice gives the same indexes.
 */
export function partialIndexes(
  indexes: { name: string; table: string; columns: string[]; present: string; unique?: boolean }[],
): HubMigration {
  return {
    async up(db) {
      for (const index of indexes) {
        await db.schema.dropIndex(index.name).ifExists().execute()
        let create = db.schema
          .createIndex(index.name)
          .on(index.table)
          .columns(index.columns)
          .where(index.present, 'is not', null)
        if (index.unique) create = create.unique()
        await create.execute()
      }
    },
  }
}

class StaticProvider implements MigrationProvider {
  constructor(
    private readonly dialect: Dialect,
    private readonly migrations: Record<string, HubMigration>,
  ) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const t = columnTypes(this.dialect)
    return Object.fromEntries(
      Object.entries(this.migrations).map(([name, m]) => [
        name,
        { up: (db: Kysely<unknown>) => m.up(db, t) },
      ]),
    )
  }
}

/**
 * Brings the schema up to date with the platform's and every module's migrations (see compose.ts), run in
 * the order of their names. A module added later may bring names that sort before ones already run: they
 * run then, in name order. Safe to run from several processes: Kysely takes a lock.
 */
export async function migrateToLatest(
  database: Database,
  migrations: Record<string, HubMigration>,
): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db,
    provider: new StaticProvider(database.dialect, migrations),
    allowUnorderedMigrations: true,
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

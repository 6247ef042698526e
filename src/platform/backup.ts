import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { isPostgresUrl } from './database-url.ts'

/**
 * `hub backup --to F` and `hub restore --from F`. SQLite: a consistent copy taken while the Hub runs
 * (VACUUM INTO reads one snapshot), checked with SQLite's integrity check. PostgreSQL: pg_dump's custom
 * format (one snapshot too), restored with pg_restore in one transaction. Restore with the Hub stopped.
 */
export async function backup(url: string, to: string): Promise<string> {
  if (fs.existsSync(to)) throw new Error(`${to} already exists; a backup never overwrites a file`)
  if (isPostgresUrl(url)) {
    await run('pg_dump', ['--format=custom', `--file=${to}`, `--dbname=${url}`])
    // Reading the archive's table of contents proves it is whole.
    await run('pg_restore', ['--list', to])
    return `Backed up to ${to} (pg_dump custom format)`
  }
  const source = new SqliteDatabase(url, { readonly: true, fileMustExist: true })
  try {
    source.pragma('busy_timeout = 10000')
    source.prepare('vacuum into ?').run(path.resolve(to))
  } finally {
    source.close()
  }
  checkSqlite(to)
  return `Backed up to ${to} (SQLite, integrity checked)`
}

export async function restore(url: string, from: string): Promise<string> {
  if (!fs.existsSync(from)) throw new Error(`No backup at ${from}`)
  if (isPostgresUrl(url)) {
    await run('pg_restore', [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--single-transaction',
      '--exit-on-error',
      `--dbname=${url}`,
      from,
    ])
    return `Restored ${from} into the PostgreSQL database`
  }
  checkSqlite(from)
  const target = path.resolve(url)
  const incoming = `${target}.restoring`
  fs.copyFileSync(from, incoming)
  fsync(incoming)
  // The database being replaced is kept beside it, in case the wrong backup was chosen.
  const kept = fs.existsSync(target) ? `${target}.before-restore-${Date.now()}` : null
  if (kept) {
    const old = new SqliteDatabase(target)
    old.pragma('wal_checkpoint(TRUNCATE)')
    old.close()
    fs.renameSync(target, kept)
  }
  for (const side of ['-wal', '-shm']) fs.rmSync(`${target}${side}`, { force: true })
  fs.renameSync(incoming, target)
  return `Restored ${from} to ${target}${kept ? `; the database it replaced is at ${kept}` : ''}`
}

function checkSqlite(file: string): void {
  const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true })
  try {
    const result = db.pragma('integrity_check', { simple: true })
    if (result !== 'ok') throw new Error(`${file} fails SQLite's integrity check: ${result}`)
    const audit = db.prepare("select 1 from sqlite_master where name = 'audit_events'").get()
    if (!audit) throw new Error(`${file} is not a Hub database: it has no audit trail`)
  } finally {
    db.close()
  }
}

function fsync(file: string): void {
  const fd = fs.openSync(file, 'r+')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', (error) =>
      reject(new Error(`Could not run ${command} (${error.message}): install PostgreSQL's client tools`)),
    )
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} failed (${code}): ${stderr.trim()}`)),
    )
  })
}

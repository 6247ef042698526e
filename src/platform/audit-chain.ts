import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto'

/** The hash the first row carries as the one before it. */
export const GENESIS_HASH = '0'.repeat(64)

/**
 * The columns the chain is checked on, in the order they are signed, then the key that signed the row
 * and the row's hash. Verification reads rows as arrays in this order: no object a row.
 */
export const CHAIN_COLUMNS = [
  'seq',
  'at',
  'actor_user_id',
  'actor',
  'action',
  'record_type',
  'record_id',
  'fields_json',
  'ip',
  'request_id',
  'prev_hash',
  'key_id',
  'hash',
] as const

/** Finds a signing key by its id; undefined when the key is not known. */
export interface KeyLookup {
  get(id: string): string | undefined
}

// A key given as a string is made into a key object on every HMAC; verifying millions of rows, once is enough.
const secretKeys = new Map<string, KeyObject>()
function secretKey(key: string): KeyObject {
  let made = secretKeys.get(key)
  if (!made) {
    made = createSecretKey(Buffer.from(key))
    secretKeys.set(key, made)
  }
  return made
}

/**
 * The hash of a row's signed values (the first eleven columns, then key_id when keyed): HMAC-SHA256 of
 * their JSON with the row's key; rows from before keys (key null) keep their plain SHA-256.
 */
export function hashValues(values: readonly unknown[], key: string | null): string {
  if (key === null) return createHash('sha256').update(JSON.stringify(values)).digest('hex')
  return createHmac('sha256', secretKey(key)).update(JSON.stringify(values)).digest('hex')
}

/** Where a walk starts: the first row it expects, the hash that row must carry, whether a keyed row came before. */
export interface WalkStart {
  seq: number
  prev: string
  keyed: boolean
}

/**
 * Walks rows in order from a start, as `hub verify-audit` always has: each row must be the next seq,
 * carry the hash of the one before, be signed by a known key (a keyless row only ahead of every keyed
 * one) and hash to its stored hash. It stops at the first row that fails: `brokenAt` names it.
 */
export class ChainWalk {
  next: number
  prev: string
  count = 0
  brokenAt: number | null = null
  /** The stored hash of row `anchorSeq`, once walked. */
  anchored: string | undefined
  private keyed: boolean

  constructor(
    start: WalkStart,
    private readonly keys: KeyLookup,
    /** SQLite hands fields_json back as its text; PostgreSQL has parsed it. */
    private readonly fieldsAsText: boolean,
    private readonly anchorSeq = 0,
  ) {
    this.next = start.seq
    this.prev = start.prev
    this.keyed = start.keyed
  }

  /**
   * One row as read, in CHAIN_COLUMNS order (fields_json as text on SQLite, parsed on PostgreSQL); the
   * array is used up. False once the chain is broken.
   */
  step(row: unknown[]): boolean {
    if (this.brokenAt !== null) return false
    const hash = row.pop()
    const keyId = row[11] as string | null
    // Rows from before keys may only come first: a keyless row after a keyed one is a forgery.
    const key = keyId === null ? (this.keyed ? undefined : null) : this.keys.get(keyId)
    this.keyed ||= keyId !== null
    row[0] = Number(row[0])
    if (keyId === null) row.pop()
    if (
      row[0] !== this.next ||
      row[10] !== this.prev ||
      key === undefined ||
      (this.fieldsAsText && !parseFields(row)) ||
      hashValues(row, key) !== hash
    ) {
      this.brokenAt = this.next
      return false
    }
    if (this.next === this.anchorSeq) this.anchored = hash as string
    this.prev = hash as string
    this.next++
    this.count++
    return true
  }
}

/** fields_json as the value that was signed; false when it is not JSON at all (a changed row). */
function parseFields(row: unknown[]): boolean {
  if (typeof row[7] !== 'string') return true // null, as the plugin in database.ts leaves it
  try {
    row[7] = JSON.parse(row[7])
    return true
  } catch {
    return false
  }
}

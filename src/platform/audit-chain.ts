import { createHash, createHmac, hash } from 'node:crypto'

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

/**
 * HMAC-SHA256 (RFC 2104) with one key, as two one-shot SHA-256s over buffers made once: the key's inner
 * pad then the message, the key's outer pad then that hash. Verifying millions of rows, a Hmac object a
 * row cost a fifth more than this.
 */
class RowHmac {
  private readonly inner: Buffer
  private readonly outer = Buffer.alloc(64 + 32)

  constructor(key: string) {
    let bytes = Buffer.from(key)
    if (bytes.length > 64) bytes = hash('sha256', bytes, 'buffer')
    this.inner = Buffer.alloc(64 + 4096)
    for (let i = 0; i < 64; i++) {
      this.inner[i] = (bytes[i] ?? 0) ^ 0x36
      this.outer[i] = (bytes[i] ?? 0) ^ 0x5c
    }
  }

  hex(message: string): string {
    // A message that might not fit (UTF-8 takes at most three bytes a UTF-16 unit) goes the usual way.
    if (message.length * 3 > this.inner.length - 64) return ''
    const end = 64 + this.inner.write(message, 64)
    hash('sha256', this.inner.subarray(0, end), 'buffer').copy(this.outer, 64)
    return hash('sha256', this.outer, 'hex')
  }
}

const rowHmacs = new Map<string, RowHmac>()
function hmacHex(key: string, message: string): string {
  let hmac = rowHmacs.get(key)
  if (!hmac) {
    hmac = new RowHmac(key)
    rowHmacs.set(key, hmac)
  }
  return hmac.hex(message) || createHmac('sha256', key).update(message).digest('hex')
}

/**
 * The hash of a row's signed values (the first eleven columns, then key_id when keyed): HMAC-SHA256 of
 * their JSON with the row's key; rows from before keys (key null) keep their plain SHA-256.
 */
export function hashValues(values: readonly unknown[], key: string | null): string {
  if (key === null) return createHash('sha256').update(JSON.stringify(values)).digest('hex')
  return hmacHex(key, JSON.stringify(values))
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

import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { contentSecurityPolicy as helmetPolicy } from 'helmet'

type Nonces = { script: string; style: string }

const MARK = { script: 'SCRIPTNONCEMARK', style: 'STYLENONCEMARK' }

/** The policy's header for a response's nonces: helmet's text for these directives, built once. */
export function cspHeader(directives: Record<string, string[] | null>): (nonces: Nonces) => string {
  const built = helmetHeader(directives, MARK)
  const [head = '', rest = ''] = built.split(MARK.script)
  const [middle = '', tail] = rest.split(MARK.style)
  if (tail === undefined || built.split(MARK.script).length !== 2)
    throw new Error('The policy must name the script nonce once, then the style nonce once')
  return (n) => head + n.script + middle + n.style + tail
}

/** The header helmet itself would set for these directives and nonces. */
export function helmetHeader(directives: Record<string, string[] | null>, nonces: Nonces): string {
  const policy = helmetPolicy({
    directives: {
      ...directives,
      scriptSrc: [...(directives.scriptSrc ?? []), `'nonce-${nonces.script}'`],
      styleSrc: [...(directives.styleSrc ?? []), `'nonce-${nonces.style}'`],
    },
  })
  let value = ''
  const response = {
    setHeader: (_name: string, v: string) => {
      value = v
    },
  }
  policy({} as IncomingMessage, response as unknown as ServerResponse, () => {})
  return value
}

const NONCE_BYTES = 16
let pool = Buffer.alloc(0)
let used = 0

/**
 * 128 random bits as hex, never handed out twice. Taken from random bytes fetched 4 KB at a time, as
 * Node's randomUUID does: asking the system's generator for each nonce costs more than the header.
 */
export function nonce(): string {
  if (used + NONCE_BYTES > pool.length) {
    pool = randomBytes(4096)
    used = 0
  }
  used += NONCE_BYTES
  return pool.toString('hex', used - NONCE_BYTES, used)
}

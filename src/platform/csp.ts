import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet, { type fastifyHelmet } from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'

type Nonces = { script: string; style: string }

// helmet's CSP middleware, which @fastify/helmet hands on; its types put it on the named export instead.
const helmetPolicy = (helmet as unknown as typeof fastifyHelmet).contentSecurityPolicy

/**
 * The Content-Security-Policy header, with a new script and style nonce for each response (the page reads
 * `reply.cspNonce`). helmet builds the policy once, around two marks; each response's header is the
 * policy's text with its nonces put in place of the marks (helmet would check and join every directive
 * again on every request). Register before helmet's other headers.
 */
export function contentSecurityPolicy(app: FastifyInstance, directives: Record<string, string[] | null>) {
  const header = cspHeader(directives)
  app.addHook('onRequest', (_request, reply, done) => {
    reply.cspNonce = { script: nonce(), style: nonce() }
    reply.raw.setHeader('Content-Security-Policy', header(reply.cspNonce))
    done()
  })
}

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

import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet, { type fastifyHelmet } from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'

type Nonces = { script: string; style: string }

// helmet's CSP middleware, which @fastify/helmet hands on; its types put it on the named export instead.
const helmetPolicy = (helmet as unknown as typeof fastifyHelmet).contentSecurityPolicy

/**
 * The Content-Security-Policy header, with a new script and style nonce for each response (the page reads
 * `reply.cspNonce`). @fastify/helmet's own nonce option parses the whole policy again on every request;
 * here it is parsed once and only the nonces change. Register before helmet's other headers.
 */
export function contentSecurityPolicy(app: FastifyInstance, directives: Record<string, string[] | null>) {
  const nonces = new WeakMap<ServerResponse, Nonces>()
  const nonceOf = (kind: keyof Nonces) => (_req: IncomingMessage, res: ServerResponse) =>
    `'nonce-${nonces.get(res)?.[kind]}'`
  const policy = helmetPolicy({
    directives: {
      ...directives,
      scriptSrc: [...(directives.scriptSrc ?? []), nonceOf('script')],
      styleSrc: [...(directives.styleSrc ?? []), nonceOf('style')],
    },
  })
  app.addHook('onRequest', (request, reply, done) => {
    reply.cspNonce = { script: nonce(), style: nonce() }
    nonces.set(reply.raw, reply.cspNonce)
    policy(request.raw, reply.raw, done)
  })
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

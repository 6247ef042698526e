import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import helmet, { type HelmetOptions } from 'helmet'
import { cspHeader, nonce } from './csp.ts'

/** helmet's options for the Hub: its defaults, but for the two below; the CSP is built in csp.ts. */
export function helmetOptions(secure: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: false,
    // The Open Referral API is read by other councils' sites; helmet's CORP would stop their browsers.
    crossOriginResourcePolicy: { policy: 'same-site' },
    strictTransportSecurity: secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  }
}

/**
 * The headers helmet's middleware sets for these options, by their lower-case names. They never change,
 * so they are made once (helmet's plugin builds its middleware again on every request and sets each
 * header on its own). helmet's removal of X-Powered-By has nothing to remove: Fastify never sets it.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader(name: string, value: string) {
      headers[name.toLowerCase()] = value
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()]
    },
  }
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error
  })
  return headers
}

/**
 * On every response, in one hook: the Content-Security-Policy with a new script and style nonce (the page
 * reads `reply.cspNonce`), and helmet's other headers, made once.
 */
export function securityHeaders(
  app: FastifyInstance,
  opts: { directives: Record<string, string[] | null>; helmet: HelmetOptions },
): void {
  const policy = cspHeader(opts.directives)
  const constant = helmetHeaders({ ...opts.helmet, contentSecurityPolicy: false })
  app.decorateReply('cspNonce', null as never)
  app.addHook('onRequest', (_request, reply, done) => {
    reply.cspNonce = { script: nonce(), style: nonce() }
    reply.headers(constant)
    reply.header('content-security-policy', policy(reply.cspNonce))
    done()
  })
}

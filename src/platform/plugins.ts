import path from 'node:path'
import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import formbody from '@fastify/formbody'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { compressResponses } from './compression.ts'
import type { Config } from './config.ts'
import type { CsrfBinding } from './csrf-binding.ts'
import { helmetOptions, securityHeaders } from './security-headers.ts'

/** Security headers with a nonce per response, compression, cookies, forms, CSRF and the stylesheets. */
export async function registerPlugins(
  app: FastifyInstance,
  config: Config,
  binding: CsrfBinding,
): Promise<void> {
  securityHeaders(app, {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
      upgradeInsecureRequests: config.cookieSecure ? [] : null,
    },
    helmet: helmetOptions(config.cookieSecure),
  })
  compressResponses(app)
  await app.register(cookie, { secret: config.sessionSecret })
  await app.register(formbody, { bodyLimit: 64 * 1024 })
  await app.register(csrf, {
    cookieKey: config.cookieSecure ? '__Host-hub_csrf' : 'hub_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: config.cookieSecure, signed: true },
    // Tokens are bound to the session (or the anonymous visitor), so another browser's pair is refused.
    getUserInfo: (request) => binding.of(request),
    csrfOpts: { hmacKey: `${config.sessionSecret}:csrf` },
  })
  await app.register(fastifyStatic, {
    root: path.join(config.APP_ROOT, 'public'),
    prefix: '/assets/',
    preCompressed: true,
    maxAge: '1d',
    index: false,
  })
}

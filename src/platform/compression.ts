import { promisify } from 'node:util'
import zlib from 'node:zlib'
import type { FastifyInstance } from 'fastify'

const brotli = promisify(zlib.brotliCompress)
const gzip = promisify(zlib.gzip)

/** Pages, JSON, CSV and calendars: what the Hub renders. Stylesheets and scripts are compressed at build. */
const COMPRESSIBLE = /^(text\/|application\/(json|ld\+json|xml|javascript))/
const THRESHOLD = 1024

/**
 * Responses the Hub renders, compressed in one call on libuv's thread pool, off the event loop: brotli at
 * quality 4 (about gzip's speed, smaller) when the browser takes it, otherwise gzip. A rendered page is
 * already a whole string, so it is not piped through streams as a general-purpose plugin would, which
 * cost more than the compression itself. Files under /assets/ are sent precompressed by @fastify/static.
 */
export function compressResponses(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload
    if (reply.hasHeader('content-encoding') || request.method === 'HEAD') return payload
    if (!COMPRESSIBLE.test(String(reply.getHeader('content-type') ?? ''))) return payload
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length
    if (size < THRESHOLD) return payload
    reply.header('vary', varyOn(reply.getHeader('vary')))
    const encoding = acceptedEncoding(request.headers['accept-encoding'])
    if (!encoding) return payload
    // Copied to bytes only to be compressed: a page sent as it is goes out as the string.
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload
    const compressed =
      encoding === 'br'
        ? await brotli(body, {
            params: {
              [zlib.constants.BROTLI_PARAM_QUALITY]: 4,
              [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
            },
          })
        : await gzip(body)
    reply.header('content-encoding', encoding)
    reply.removeHeader('content-length')
    return compressed
  })
}

/** br or gzip if the request's Accept-Encoding takes it (a q of 0 refuses), br first; otherwise null. */
export function acceptedEncoding(header: string | undefined): 'br' | 'gzip' | null {
  if (!header) return null
  const q = new Map<string, number>()
  for (const part of header.toLowerCase().split(',')) {
    const [name = '', ...params] = part.split(';').map((p) => p.trim())
    const weight = params.find((p) => p.startsWith('q='))
    q.set(name, weight ? Number(weight.slice(2)) || 0 : 1)
  }
  const takes = (name: string) => (q.get(name) ?? q.get('*') ?? 0) > 0
  if (takes('br')) return 'br'
  if (takes('gzip')) return 'gzip'
  return null
}

function varyOn(existing: unknown): string {
  const vary = String(existing ?? '')
  if (!vary) return 'accept-encoding'
  return /(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(vary) ? vary : `${vary}, accept-encoding`
}

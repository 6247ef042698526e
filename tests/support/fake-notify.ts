import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import http from 'node:http'

export interface NotifyRequest {
  kind: 'email' | 'sms'
  serviceId: string
  body: {
    template_id?: string
    email_address?: string
    phone_number?: string
    personalisation?: Record<string, string>
    reference?: string
  }
}

/** A key shaped like GOV.UK Notify's: `name-{service id}-{secret}`, both parts UUIDs. */
export function makeNotifyApiKey(name = 'hub_test') {
  const serviceId = randomUUID()
  const secret = randomUUID()
  return { apiKey: `${name}-${serviceId}-${secret}`, serviceId, secret }
}

/**
 * A stand-in for the GOV.UK Notify API on 127.0.0.1. It answers POST /v2/notifications/email and
 * /v2/notifications/sms as Notify does, and refuses a request whose Bearer token is missing, not
 * signed (HS256) with the key's secret, issued for another service or older than 30 seconds.
 */
export class FakeNotify {
  readonly requests: NotifyRequest[] = []
  /** Requests refused for their token, kept apart so a test can show none were. */
  readonly refused: { status: number; reason: string }[] = []
  private failures = 0
  private failStatus = 500
  private failBody: unknown

  private constructor(
    private readonly server: http.Server,
    readonly baseUrl: string,
    private readonly serviceId: string,
    private readonly secret: string,
  ) {}

  static async start(key: { serviceId: string; secret: string }): Promise<FakeNotify> {
    let fake: FakeNotify | undefined
    const server = http.createServer((req, res) => fake?.handle(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    fake = new FakeNotify(server, `http://127.0.0.1:${port}`, key.serviceId, key.secret)
    return fake
  }

  /** The next `count` requests get `status` (Notify's error body by default), as when Notify has an outage. */
  failNext(count: number, status = 500, body?: unknown): void {
    this.failures = count
    this.failStatus = status
    this.failBody = body
  }

  close(): Promise<void> {
    this.server.closeAllConnections()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const kind =
        req.url === '/v2/notifications/email' ? 'email' : req.url === '/v2/notifications/sms' ? 'sms' : null
      if (req.method !== 'POST' || !kind)
        return this.reply(res, 404, notifyError(404, 'NotFound', 'Not found'))
      const reason = this.checkToken(req.headers.authorization)
      if (reason) {
        this.refused.push({ status: 403, reason })
        return this.reply(res, 403, notifyError(403, 'AuthError', reason))
      }
      if (this.failures > 0) {
        this.failures--
        return this.reply(
          res,
          this.failStatus,
          this.failBody ?? notifyError(this.failStatus, 'Exception', 'Internal server error'),
        )
      }
      let body: NotifyRequest['body']
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        return this.reply(res, 400, notifyError(400, 'BadRequestError', 'Invalid JSON supplied in POST data'))
      }
      this.requests.push({ kind, serviceId: this.serviceId, body })
      const content = body.personalisation ?? {}
      this.reply(res, 201, {
        id: randomUUID(),
        reference: body.reference ?? null,
        content: kind === 'email' ? { subject: content.subject, body: content.body } : { body: content.body },
        template: { id: body.template_id, version: 1, uri: `${this.baseUrl}/templates/${body.template_id}` },
        uri: `${this.baseUrl}/v2/notifications/${randomUUID()}`,
      })
    })
  }

  /** Notify's own checks on its JWT: HS256 with the key's secret, `iss` the service id, `iat` recent. */
  private checkToken(header: string | undefined): string | null {
    const token = header?.match(/^Bearer (.+)$/)?.[1]
    if (!token) return 'Unauthorized: authentication token must be provided'
    const [head, payload, signature] = token.split('.')
    if (!head || !payload || !signature) return 'Invalid token: signature, api token is not valid'
    const expected = createHmac('sha256', this.secret).update(`${head}.${payload}`).digest()
    const given = Buffer.from(signature, 'base64url')
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return 'Invalid token: signature, api token not found'
    const alg = JSON.parse(Buffer.from(head, 'base64url').toString()).alg
    if (alg !== 'HS256') return 'Invalid token: algorithm used is not HS256'
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss?: string; iat?: number }
    if (claims.iss !== this.serviceId) return 'Invalid token: service not found'
    if (typeof claims.iat !== 'number' || Math.abs(Date.now() / 1000 - claims.iat) > 30)
      return 'Error: Your system clock must be accurate to within 30 seconds'
    return null
  }

  private reply(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
}

function notifyError(status: number, error: string, message: string) {
  return { status_code: status, errors: [{ error, message }] }
}

import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

/**
 * A browser-like client over app.inject(): keeps cookies, and picks up the CSRF token of the last
 * page it fetched, so tests post forms the way a person does (CSRF stays on in tests).
 */
export class TestClient {
  private cookies = new Map<string, string>()
  private csrf: string | undefined
  lastPage = ''

  constructor(
    private readonly app: FastifyInstance,
    private readonly ip = '127.0.0.1',
  ) {}

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: 'GET',
      url,
      headers: { ...this.headers(), ...headers },
      remoteAddress: this.ip,
    })
    this.take(res)
    return res
  }

  /** Posts a form. Fetch the page with the form first, as a browser would, unless `csrf` is given. */
  async post(
    url: string,
    form: Record<string, string | string[]>,
    opts: { csrf?: string | false } = {},
  ): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams()
    for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one)
    const token = opts.csrf === undefined ? this.csrf : opts.csrf
    if (token) body.append('_csrf', token)
    const res = await this.app.inject({
      method: 'POST',
      url,
      payload: body.toString(),
      headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: this.ip,
    })
    this.take(res)
    return res
  }

  /** Follows a 303 as a browser would. */
  async follow(res: LightMyRequestResponse): Promise<LightMyRequestResponse> {
    const location = res.headers.location
    if (!location) throw new Error(`Expected a redirect, got ${res.statusCode}`)
    return this.get(String(location))
  }

  get csrfToken(): string | undefined {
    return this.csrf
  }

  /** The Cookie header this browser sends, for requests a test builds by hand. */
  get cookieHeader(): string {
    return this.headers().cookie ?? ''
  }

  /** A cookie this browser holds, for tests that move cookies between browsers as an attacker would. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name)
  }

  private headers(): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    return cookie ? { cookie } : {}
  }

  private take(res: LightMyRequestResponse): void {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())
      if (expired || c.value === '') this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    if (String(res.headers['content-type'] ?? '').startsWith('text/html')) {
      this.lastPage = res.body
      const match = res.body.match(/name="_csrf" value="([^"]+)"/)
      if (match) this.csrf = match[1]
    }
  }
}

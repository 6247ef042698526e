/**
 * The public /refer journey as residents do it, for the benchmark: each simulated resident has its own
 * cookies and its own address (sent as X-Forwarded-For, as a load balancer would: the Hub runs with
 * TRUST_PROXY=127.0.0.1, so the per-address rate limits stay as they are), takes the CSRF token from
 * each page it is shown, answers every question page, checks the answers, sends, and sees its reference.
 */
import http from 'node:http'

export interface Reply {
  status: number
  location: string
  body: string
  ms: number
}

/** One resident: a cookie jar, an address, and the CSRF token of the last form it was shown. */
export class Resident {
  private readonly jar = new Map<string, string>()
  token = ''
  constructor(
    private readonly client: Client,
    readonly ip: string,
  ) {}

  async get(path: string, expect = 200): Promise<Reply> {
    const r = await this.client.send('GET', path, this, undefined, expect)
    this.token = r.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? this.token
    return r
  }

  post(path: string, form: Record<string, string | string[]>, expect = 303): Promise<Reply> {
    const body = new URLSearchParams({ _csrf: this.token })
    for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one)
    return this.client.send('POST', path, this, body.toString(), expect)
  }

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  takeCookies(lines: string[] | undefined): void {
    for (const line of lines ?? []) {
      const [pair = ''] = line.split(';')
      const at = pair.indexOf('=')
      if (at > 0) this.jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim())
    }
  }
}

export class JourneyError extends Error {}

/** HTTP/1.1 with keep-alive over at most `connections` sockets; every reply's latency is kept. */
export class Client {
  private readonly agent: http.Agent
  private addresses = 0
  readonly statusCodes = new Map<number, number>()
  latencies: number[] = []
  constructor(
    private readonly baseUrl: string,
    connections: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections })
  }

  /** A resident with an address nobody else has had in this run (10.0.0.0/8). */
  resident(): Resident {
    const n = ++this.addresses
    return new Resident(this, `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`)
  }

  send(
    method: string,
    path: string,
    who: Resident,
    body: string | undefined,
    expect: number,
  ): Promise<Reply> {
    const headers: Record<string, string> = { 'x-forwarded-for': who.ip, cookie: who.cookieHeader() }
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      headers['content-length'] = String(Buffer.byteLength(body))
    }
    const started = performance.now()
    return new Promise((resolve, reject) => {
      const req = http.request(
        this.baseUrl + path,
        { method, headers, agent: this.agent, timeout: 10_000 },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('error', reject)
          res.on('end', () => {
            const ms = performance.now() - started
            const status = res.statusCode ?? 0
            this.latencies.push(ms)
            this.statusCodes.set(status, (this.statusCodes.get(status) ?? 0) + 1)
            who.takeCookies(res.headers['set-cookie'])
            const reply = {
              status,
              location: String(res.headers.location ?? ''),
              body: Buffer.concat(chunks).toString(),
              ms,
            }
            if (status !== expect)
              reject(
                new JourneyError(
                  `${method} ${path} answered ${status} (${reply.location}), expected ${expect}`,
                ),
              )
            else resolve(reply)
          })
        },
      )
      req.on('timeout', () => req.destroy(new JourneyError(`${method} ${path} timed out`)))
      req.on('error', reject)
      req.end(body)
    })
  }

  close(): void {
    this.agent.destroy()
  }
}

const POSTCODES = ['W8 4RT', 'W1D 3QF', 'SW3 5RS', 'SW1P 4DR', 'W8 6SZ', 'W1U 2QA']
const FIRST = ['Amara', 'Tomasz', 'Fatima', 'Siobhan', 'Hiroshi', 'Grace', 'Luis', 'Nasrin']
const LAST = ['Okafor', 'Kowalski', 'Al-Sayed', "O'Neill", 'Tanaka', 'Mensah', 'Fernández', 'Hosseini']

/** A self-referral for a device and skills help, answered page by page (14 question pages). */
export function answers(n: number): [string, Record<string, string | string[]>][] {
  return [
    ['who', { who: 'self' }],
    ['name', { name: `${FIRST[n % FIRST.length]} ${LAST[(n >> 3) % LAST.length]}` }],
    ['dob', { choice: 'date' }],
    ['dob-date', { day: String(1 + (n % 28)), month: String(1 + (n % 12)), year: String(1935 + (n % 60)) }],
    ['address', { hasAddress: 'yes' }],
    ['postcode', { postcode: POSTCODES[n % POSTCODES.length] as string }],
    [
      'contact',
      {
        methods: ['phone', 'email'],
        phone: `07700 900${String(n % 1000).padStart(3, '0')}`,
        email: `resident${n}@example.com`,
      },
    ],
    ['safe', { safe: ['text', 'voicemail'] }],
    ['language', { language: n % 4 ? '' : 'Arabic', interpreter: n % 4 ? 'no' : 'yes' }],
    ['access', { accessNeeds: n % 5 ? '' : 'Large print, please' }],
    ['needs', { needs: ['device', 'skills'] }],
    ['need-device', { deviceType: 'tablet' }],
    ['need-skills', { ways: 'one-to-one', goals: ['nhs-app', 'video-calls'], goalOther: '' }],
    ['reporting', { over60: 'yes', disabled: 'prefer-not-to-say' }],
  ]
}

/**
 * From the start page to the check-answers page. With `seeEveryPage` the resident GETs each question
 * page before answering it (as a person does); without, it reuses the token of the start page (valid for
 * the whole visit), which is how the send-only run prepares its journeys quickly.
 */
export async function fillIn(r: Resident, n: number, seeEveryPage: boolean): Promise<void> {
  await r.get('/refer')
  let next = (await r.post('/refer/start', {})).location
  for (const [page, form] of answers(n)) {
    if (next !== `/refer/${page}`) throw new JourneyError(`expected /refer/${page}, was sent to ${next}`)
    if (seeEveryPage) await r.get(next)
    next = (await r.post(next, form)).location
  }
  if (next !== '/refer/check') throw new JourneyError(`expected /refer/check, was sent to ${next}`)
  await r.get('/refer/check')
}

/** The send button, then the confirmation page with the reference. Answers the send's latency. */
export async function send(r: Resident): Promise<number> {
  const sent = await r.post('/refer/check', {})
  if (sent.location !== '/refer/confirmation') throw new JourneyError(`send went to ${sent.location}`)
  const page = await r.get('/refer/confirmation')
  if (!/[A-Z0-9]{4}-[A-Z0-9]{4}/.test(page.body))
    throw new JourneyError('no reference on the confirmation page')
  return sent.ms
}

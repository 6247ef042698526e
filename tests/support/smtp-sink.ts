import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  from: string
  to: string[]
  /** Header names lower-cased; folded lines joined. */
  headers: Map<string, string>
  /** The text body, quoted-printable decoded when it was sent that way. */
  text: string
  raw: string
  /** When the server accepted it (Date.now()). */
  at: number
}

/**
 * An in-process SMTP server on 127.0.0.1 that keeps what it receives. `stop()` then `start()` keeps
 * the same port, so a test can take "the mail server" down and bring it back.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = []
  /** Recipients the server refuses, with its reply: `550` for no such mailbox, `451` to try later. */
  readonly refuse = new Map<string, { code: number; text: string }>()
  /** Milliseconds the server takes over each message's data, as a real one does: sends side by side overlap. */
  dataDelayMs = 0
  /** Messages in the middle of their transaction (MAIL FROM to the end of DATA), now and at most at once. */
  inTransaction = 0
  mostAtOnce = 0
  private server: SMTPServer | undefined
  private boundPort = 0

  get port(): number {
    return this.boundPort
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.boundPort}`
  }

  get running(): boolean {
    return this.server !== undefined
  }

  /** Listens on the port it had before, or on a random free one the first time. */
  async start(): Promise<void> {
    if (this.server) return
    // A fresh server each time: an SMTPServer is not meant to listen again after close().
    const server = new SMTPServer({
      authOptional: true,
      // No STARTTLS on offer, so the client sends in plain text without certificate trouble.
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 200,
      // No reverse DNS for 127.0.0.1: the lookup alone costs a tenth of a second per connection.
      disableReverseLookup: true,
      onMailFrom: (_address, _session, callback) => {
        this.inTransaction++
        this.mostAtOnce = Math.max(this.mostAtOnce, this.inTransaction)
        callback()
      },
      onRcptTo: (address, _session, callback) => {
        const refusal = this.refuse.get(address.address.toLowerCase())
        if (!refusal) return callback()
        this.inTransaction--
        callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }))
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', async () => {
          if (this.dataDelayMs) await new Promise((resolve) => setTimeout(resolve, this.dataDelayMs))
          this.inTransaction--
          const envelope = session.envelope
          this.messages.push(
            parseMail(
              Buffer.concat(chunks).toString('utf8'),
              envelope.mailFrom ? envelope.mailFrom.address : '',
              envelope.rcptTo.map((r) => r.address),
            ),
          )
          callback()
        })
      },
    })
    server.on('error', () => {})
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject)
      server.listen(this.boundPort, '127.0.0.1', () => {
        server.server.off('error', reject)
        resolve()
      })
    })
    this.boundPort = (server.server.address() as { port: number }).port
    this.server = server
  }

  /** Closes the port: clients now get "connection refused", as from a mail server that is down. */
  async stop(): Promise<void> {
    const server = this.server
    if (!server) return
    this.server = undefined
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Messages received for one Message-ID (without angle brackets). */
  withMessageId(id: string): ReceivedMail[] {
    return this.messages.filter((m) => m.headers.get('message-id') === `<${id}>`)
  }
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const sink = new SmtpSink()
  await sink.start()
  return sink
}

function parseMail(raw: string, from: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n')
  const head = split === -1 ? raw : raw.slice(0, split)
  const body = split === -1 ? '' : raw.slice(split + 4)
  const headers = new Map<string, string>()
  // Folded header lines start with white space and continue the line before.
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  const encoding = headers.get('content-transfer-encoding')?.toLowerCase()
  const text = encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : body
  return { from, to, headers, text: text.replace(/\r\n/g, '\n').replace(/\n$/, ''), raw, at: Date.now() }
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
  return Buffer.from(bytes, 'latin1').toString('utf8')
}

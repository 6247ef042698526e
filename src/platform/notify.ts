import net from 'node:net'
import nodemailer from 'nodemailer'
import { parseConnectionUrl } from 'nodemailer/lib/shared/index.js'
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js'
import { NotifyClient } from 'notifications-node-client'
import type { Config } from './config.ts'
import { renderMessage } from './messages.ts'
import type { Outbox, OutboxStatus, OutboxTable, SendOutcome } from './outbox.ts'

/** Sends one message or throws. The worker decides about retries. */
export interface Transport {
  readonly name: string
  send(message: OutboxTable): Promise<void>
  /** Lets go of open connections (a pool's) when the worker stops. */
  close?(): void
}

/**
 * Development: nothing leaves the machine. The message is printed on the console (the one place a
 * developer sees an invitation's link: the outbox shows it masked, and keeps the mask once sent).
 */
export function developmentTransport(
  print: (text: string) => void = (text) => process.stdout.write(text),
): Transport {
  return {
    name: 'development',
    async send(message) {
      const { subject, body } = renderMessage(message.template, message.personalisation_json)
      print(`\n--- ${message.channel} to ${message.recipient}: ${subject}\n${body}\n---\n`)
    },
  }
}

/**
 * Over up to `connections` SMTP connections kept open and reused, so a batch goes out side by side
 * without a new connection (and TLS handshake) per message. The worker keeps to the rate and retries.
 */
export function smtpTransport(url: string, from: string, connections = 5): Transport {
  const server = parseConnectionUrl(url)
  const options: SMTPPool.Options & { maxRequeues: number } = {
    // Parsed here rather than passed as `url`: given `url`, nodemailer's pool took 100 ms more a message.
    ...server,
    pool: true,
    getSocket: (_options, ready) => ready(null, { connection: noDelaySocket(server) }),
    maxConnections: connections,
    // A connection lost in the middle of a message fails that send: the outbox retries it with backoff,
    // rather than the pool trying it again unseen and without end. (Not in the package's types.)
    maxRequeues: 0,
  }
  const mailer = nodemailer.createTransport(options)
  return {
    name: 'smtp',
    close: () => mailer.close(),
    async send(message) {
      if (message.channel !== 'email')
        throw new Error('The SMTP transport sends email only; use GOV.UK Notify for SMS')
      const { subject, body, headers } = renderMessage(message.template, message.personalisation_json)
      try {
        // The outbox id as Message-ID lets a receiving system drop a duplicate if a send is retried.
        await mailer.sendMail({
          from,
          to: message.recipient,
          subject,
          text: body,
          messageId: `<${message.id}@hub>`,
          headers,
        })
      } catch (error) {
        // The server's reply code first (550: no such mailbox, 451: try later), for whoever reads the
        // outbox's error to tell a lasting refusal from a passing one.
        const e = error as { responseCode?: number; response?: string; message: string }
        throw new Error(e.responseCode ? `SMTP ${e.responseCode}: ${e.response ?? e.message}` : e.message)
      }
    },
  }
}

/**
 * A socket that sends each write at once. With Nagle's algorithm a message's last small write waited for
 * the server's delayed ACK, about 40 ms a message on each connection (200 messages over 2 connections:
 * 4.9 s, and 0.56 s without). Handed over while still connecting: nodemailer puts its own error, TLS and
 * socket-timeout handling on it and waits for the server's greeting (a server that never answers fails
 * at nodemailer's greeting timeout, 30 s).
 */
function noDelaySocket(server: { host?: string; port?: number; secure?: boolean }): net.Socket {
  const socket = net.connect({
    host: server.host ?? 'localhost',
    port: server.port ?? (server.secure ? 465 : 587),
  })
  socket.setNoDelay(true)
  return socket
}

export function notifyTransport(opts: {
  baseUrl: string
  apiKey: string
  emailTemplateId: string
  smsTemplateId: string
}): Transport {
  const client = new NotifyClient(opts.baseUrl, opts.apiKey)
  return {
    name: 'govuk-notify',
    async send(message) {
      const { subject, body } = renderMessage(message.template, message.personalisation_json)
      const options = { personalisation: { subject, body }, reference: message.id }
      try {
        if (message.channel === 'sms') await client.sendSms(opts.smsTemplateId, message.recipient, options)
        else await client.sendEmail(opts.emailTemplateId, message.recipient, options)
      } catch (error) {
        // Axios errors carry the whole request, recipient included: keep only what is safe to store.
        const e = error as {
          response?: { status?: number; data?: { errors?: { error?: string }[] } }
          code?: string
        }
        const reason = e.response?.data?.errors?.map((x) => x.error).join(', ')
        throw new Error(
          `GOV.UK Notify: ${e.response?.status ?? e.code ?? 'no response'} ${reason ?? ''}`.trim(),
        )
      }
    },
  }
}

export function transportFromConfig(config: Config): Transport {
  switch (config.NOTIFY_CHANNEL) {
    case 'smtp':
      return smtpTransport(
        config.SMTP_URL ?? 'smtp://localhost:25',
        config.MAIL_FROM,
        config.OUTBOX_CONCURRENCY,
      )
    case 'govuk-notify':
      return notifyTransport({
        baseUrl: config.NOTIFY_BASE_URL,
        apiKey: config.NOTIFY_API_KEY ?? '',
        emailTemplateId: config.NOTIFY_TEMPLATE_EMAIL ?? '',
        smsTemplateId: config.NOTIFY_TEMPLATE_SMS ?? '',
      })
    default:
      return developmentTransport()
  }
}

/** How a worker sends: messages it claims at a time, and how many of them are on the wire at once. */
export interface WorkerOptions {
  batch?: number
  concurrency?: number
}

/**
 * Starts sends no faster than `perSecond`, evenly spaced, across batches: each send waits for a slot of
 * its own, so a batch sent side by side still keeps to the provider's rate.
 */
export class Pace {
  private next = 0

  constructor(private readonly perSecond: number) {}

  /** Waits for the next free slot, and takes it. */
  async slot(): Promise<void> {
    const now = performance.now()
    const at = Math.max(now, this.next)
    this.next = at + 1000 / this.perSecond
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now))
  }
}

/**
 * Sends what the outbox holds. Runs inside the app process, or on its own with `npm run hub -- worker`;
 * several can run against one PostgreSQL database without sending a message twice. Each round claims a
 * batch, sends it side by side, and records every message's outcome in one transaction.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = true
  private failures = 0
  private readonly pace: Pace
  private readonly batch: number
  private readonly concurrency: number

  constructor(
    private readonly outbox: Outbox,
    private readonly transport: Transport,
    private readonly pollMs: number,
    private readonly log: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void },
    /** No faster than the provider takes them: GOV.UK Notify allows 3,000 a minute. */
    maxPerSecond = 50,
    options: WorkerOptions = {},
  ) {
    this.pace = new Pace(maxPerSecond)
    this.batch = options.batch ?? 50
    this.concurrency = options.concurrency ?? 5
  }

  start(): void {
    this.stopped = false
    this.schedule(0)
  }

  /** Lets the batch in hand finish, then stops polling and closes the transport's connections. */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
    this.transport.close?.()
  }

  /** Claims and sends one batch; answers how many were sent. */
  async runOnce(batch = this.batch): Promise<number> {
    const messages = await this.outbox.claim(batch)
    if (messages.length === 0) return 0
    const ids = messages.map((m) => m.id)
    // The claim holds while this process lives, however slow the provider; if the process dies, the
    // claim lapses and another worker sends what it had not recorded. (The outbox id is the Message-ID,
    // so a receiving server can drop a copy sent again.)
    const renewal = setInterval(() => {
      this.outbox.renew(ids).catch((error) => {
        this.log.warn({ err: error }, 'could not renew the claim on messages being sent')
      })
    }, this.outbox.claimMs / 3)
    let statuses: Map<string, OutboxStatus>
    try {
      statuses = await this.outbox.record(await this.sendAll(messages))
    } finally {
      clearInterval(renewal)
    }
    for (const message of messages) {
      const status = statuses.get(message.id)
      if (!status) continue
      const fields = { outboxId: message.id, attempts: message.attempts + 1, status }
      if (status === 'parked') this.log.error(fields, 'message parked after its last attempt')
      else this.log.warn(fields, 'message not sent; will retry')
    }
    return messages.length - statuses.size
  }

  /** Sends a batch over `concurrency` lanes, each taking the next message when its last is done. */
  private async sendAll(messages: OutboxTable[]): Promise<SendOutcome[]> {
    const outcomes: SendOutcome[] = []
    let next = 0
    const lane = async () => {
      for (let message = messages[next++]; message; message = messages[next++]) {
        await this.pace.slot()
        try {
          await this.transport.send(message)
          outcomes.push({ message })
        } catch (error) {
          outcomes.push({ message, error: (error as Error).message })
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(this.concurrency, messages.length) }, lane))
    return outcomes
  }

  private schedule(delay: number): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined
      })
    }, delay)
  }

  private async tick(): Promise<void> {
    let sent = 0
    try {
      sent = await this.runOnce()
      this.failures = 0
    } catch (error) {
      // The database is away: wait longer after each failure in a row, up to a minute, then keep trying.
      this.failures++
      this.log.warn({ err: error, failures: this.failures }, 'outbox worker could not reach the outbox')
      this.schedule(Math.min(60_000, this.pollMs * 2 ** Math.min(this.failures, 10)))
      return
    }
    // After a batch more may be waiting: go again at once (the pace spaces the sends out, which also
    // leaves a worker inside the app process time for the pages people are waiting for).
    this.schedule(sent > 0 ? 0 : this.pollMs)
  }
}

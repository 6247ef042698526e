import nodemailer from 'nodemailer'
import { NotifyClient } from 'notifications-node-client'
import type { Config } from './config.ts'
import { renderMessage } from './messages.ts'
import type { Outbox, OutboxTable } from './outbox.ts'

/** Sends one message or throws. The worker decides about retries. */
export interface Transport {
  readonly name: string
  send(message: OutboxTable): Promise<void>
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

export function smtpTransport(url: string, from: string): Transport {
  const mailer = nodemailer.createTransport(url)
  return {
    name: 'smtp',
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
      return smtpTransport(config.SMTP_URL ?? 'smtp://localhost:25', config.MAIL_FROM)
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

/**
 * Sends what the outbox holds. Runs inside the app process, or on its own with `npm run hub -- worker`;
 * several can run against one PostgreSQL database without sending a message twice.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = true
  private failures = 0

  constructor(
    private readonly outbox: Outbox,
    private readonly transport: Transport,
    private readonly pollMs: number,
    private readonly log: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void },
    /** No faster than the provider takes them: GOV.UK Notify allows 3,000 a minute. */
    private readonly maxPerSecond = 50,
  ) {}

  start(): void {
    this.stopped = false
    this.schedule(0)
  }

  /** Lets the batch in hand finish, then stops polling. */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
  }

  /** Claims and sends one batch; answers how many were sent. */
  async runOnce(batch = 20): Promise<number> {
    const messages = await this.outbox.claim(batch)
    if (messages.length === 0) return 0
    const unfinished = new Set(messages.map((m) => m.id))
    // The claim holds while this process lives, however slow the provider; if the process dies, the
    // claim lapses and another worker sends what it had not finished.
    const renewal = setInterval(() => {
      this.outbox.renew([...unfinished]).catch((error) => {
        this.log.warn({ err: error }, 'could not renew the claim on messages being sent')
      })
    }, this.outbox.claimMs / 3)
    let sent = 0
    try {
      for (const message of messages) {
        try {
          await this.transport.send(message)
          await this.outbox.markSent(message)
          sent++
        } catch (error) {
          const status = await this.outbox.markFailed(message, (error as Error).message)
          const fields = { outboxId: message.id, attempts: message.attempts + 1, status }
          if (status === 'parked') this.log.error(fields, 'message parked after its last attempt')
          else this.log.warn(fields, 'message not sent; will retry')
        }
        unfinished.delete(message.id)
      }
    } finally {
      clearInterval(renewal)
    }
    return sent
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
    const started = Date.now()
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
    // After a batch more may be waiting: go again as soon as the rate allows. The pause also keeps a
    // worker inside the app process from taking the process from the pages people are waiting for.
    const pace = (sent / this.maxPerSecond) * 1000 - (Date.now() - started)
    this.schedule(sent > 0 ? Math.max(0, pace) : this.pollMs)
  }
}

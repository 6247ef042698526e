/**
 * Reports that mail providers send after the SMTP exchange, read from their text: delivery status
 * notifications (RFC 3464, `multipart/report; report-type=delivery-status`) and feedback reports of
 * complaints (RFC 5965 ARF, `report-type=feedback-report`). Only what the Hub acts on is read.
 */

/** One report about one address, as a provider's webhook gives it too. */
export interface MailReport {
  email: string
  type: 'bounce' | 'complaint'
  /** For a bounce: `hard` lasts (no such mailbox), `soft` passes (mailbox full, a temporary block). */
  bounceType?: 'hard' | 'soft'
  /** ISO-8601 UTC: when the provider saw it. */
  at: string
}

interface Part {
  headers: Map<string, string>
  body: string
}

/** Headers (unfolded, names lower-case, first of each kept) and the body after the first blank line. */
function parsePart(text: string): Part {
  const cut = /\r?\n\r?\n/.exec(text)
  const head = cut ? text.slice(0, cut.index) : text
  const body = cut ? text.slice(cut.index + cut[0].length) : ''
  return { headers: fields(head), body }
}

/** `Name: value` lines with folded continuations, as in headers and delivery-status field groups. */
function fields(block: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon < 1) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    if (!found.has(name)) found.set(name, line.slice(colon + 1).trim())
  }
  return found
}

/** A parameter of a header value (`boundary`, `report-type`), quoted or not. */
function parameter(value: string | undefined, name: string): string | null {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value ?? '')
  return match ? (match[1] ?? match[2] ?? null) : null
}

function decode(part: Part): string {
  const encoding = part.headers.get('content-transfer-encoding')?.toLowerCase()
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (encoding === 'quoted-printable')
    return part.body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
  return part.body
}

/** The parts of a multipart body, between its boundary lines. */
function partsOf(part: Part): Part[] {
  const boundary = parameter(part.headers.get('content-type'), 'boundary')
  if (!boundary) return []
  const parts: Part[] = []
  let current: string[] | null = null
  for (const line of part.body.split(/\r?\n/)) {
    const trimmed = line.trimEnd()
    if (trimmed === `--${boundary}` || trimmed === `--${boundary}--`) {
      if (current) parts.push(parsePart(current.join('\n')))
      if (trimmed === `--${boundary}--`) return parts
      current = []
    } else current?.push(line)
  }
  return parts
}

const contentType = (part: Part) =>
  (part.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase()

/** `rfc822; someone@example.org` or `<someone@example.org>`: the address alone, lower-case. */
function address(value: string | undefined): string | null {
  const raw = (value ?? '').replace(/^rfc822\s*;/i, '').trim()
  const email = (/<([^>]+)>/.exec(raw)?.[1] ?? raw).trim().toLowerCase()
  return /^[^\s@<>]+@[^\s@<>]+$/.test(email) ? email : null
}

function isoDate(...values: (string | undefined)[]): string | null {
  for (const value of values) {
    const time = value ? Date.parse(value.replace(/\s*\([^)]*\)\s*$/, '')) : Number.NaN
    if (!Number.isNaN(time)) return new Date(time).toISOString()
  }
  return null
}

/** A delivery status notification's failed recipients: 5.x.x lasts (hard), 4.x.x passes (soft). */
function deliveryStatus(status: Part, message: Part): MailReport[] {
  const groups = decode(status)
    .split(/\r?\n\s*\r?\n/)
    .map(fields)
  const perMessage = groups[0] ?? new Map<string, string>()
  const reports: MailReport[] = []
  for (const group of groups.slice(1)) {
    if (group.get('action')?.toLowerCase() !== 'failed') continue
    const email = address(group.get('final-recipient') ?? group.get('original-recipient'))
    const code = /^([245])\.\d{1,3}\.\d{1,3}/.exec(group.get('status') ?? '')?.[1]
    const at = isoDate(
      group.get('last-attempt-date'),
      perMessage.get('arrival-date'),
      message.headers.get('date'),
    )
    if (!email || !at || (code !== '5' && code !== '4')) continue
    reports.push({ email, type: 'bounce', bounceType: code === '5' ? 'hard' : 'soft', at })
  }
  return reports
}

/** A feedback report: the complaining address from Original-Rcpt-To, or the original message's To. */
function feedback(report: Part, original: Part | undefined, message: Part): MailReport[] {
  const found = fields(decode(report))
  const email =
    address(found.get('original-rcpt-to')) ??
    (original ? address(parsePart(decode(original)).headers.get('to')) : null)
  const at = isoDate(found.get('arrival-date') ?? found.get('received-date'), message.headers.get('date'))
  return email && at ? [{ email, type: 'complaint', at }] : []
}

/** What one message reports, or nothing when it is no delivery status or feedback report. */
export function reportsIn(text: string): MailReport[] {
  const message = parsePart(text)
  const type = message.headers.get('content-type')
  if (contentType(message) !== 'multipart/report') return []
  const parts = partsOf(message)
  const reportType = parameter(type, 'report-type')?.toLowerCase()
  if (reportType === 'delivery-status') {
    const status = parts.find((p) => contentType(p) === 'message/delivery-status')
    return status ? deliveryStatus(status, message) : []
  }
  if (reportType === 'feedback-report') {
    const report = parts.find((p) => contentType(p) === 'message/feedback-report')
    const original = parts.find((p) =>
      ['message/rfc822', 'text/rfc822-headers'].includes(contentType(p) ?? ''),
    )
    return report ? feedback(report, original, message) : []
  }
  return []
}

/**
 * The messages of an mbox (each begins with a `From ` line), or a single message (.eml). `>From ` lines
 * in bodies lose one `>` (mboxrd).
 */
export function messagesIn(text: string): string[] {
  if (!text.startsWith('From ')) return [text]
  return text
    .split(/\r?\n(?=From )/)
    .map((m) => m.replace(/^From [^\n]*\n/, '').replace(/^>(>*From )/gm, '$1'))
    .filter((m) => m.trim())
}

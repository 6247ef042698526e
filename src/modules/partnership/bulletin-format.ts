import type { HubEvents } from '#platform/events.ts'
/**
 * A bulletin is plain text with a little formatting anyone can type: a line starting `## ` is a heading,
 * lines starting `- ` make a list, a blank line ends a paragraph, and web addresses become links. The email
 * is the text itself; the web version and the preview show the same blocks as GOV.UK typography. Nothing
 * typed is ever HTML: templates escape every part.
 */
export type Segment = { text: string; href?: string }
export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; lines: Segment[][] }
  | { kind: 'list'; items: Segment[][] }

const URL = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)]/g

export function segments(text: string): Segment[] {
  const parts: Segment[] = []
  let at = 0
  for (const match of text.matchAll(URL)) {
    if (match.index > at) parts.push({ text: text.slice(at, match.index) })
    parts.push({ text: match[0], href: match[0] })
    at = match.index + match[0].length
  }
  if (at < text.length) parts.push({ text: text.slice(at) })
  return parts
}

export function blocks(body: string): Block[] {
  const out: Block[] = []
  let last: Block | undefined
  for (const raw of body.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd()
    if (!line.trim()) {
      last = undefined
    } else if (line.startsWith('## ')) {
      last = undefined
      out.push({ kind: 'heading', text: line.slice(3).trim() })
    } else if (/^[-*] /.test(line)) {
      if (last?.kind !== 'list') {
        last = { kind: 'list', items: [] }
        out.push(last)
      }
      last.items.push(segments(line.slice(2).trim()))
    } else {
      if (last?.kind !== 'paragraph') {
        last = { kind: 'paragraph', lines: [] }
        out.push(last)
      }
      last.lines.push(segments(line.trim()))
    }
  }
  return out
}

/** What the minutes-closed event carries: the decisions and the actions meant for partners. */
/** What closing a meeting's minutes publishes (declared in the module's index.ts). */
export type ClosedMinutes = HubEvents['partnership.minutes-closed']

export function longDate(iso: string): string {
  return new Date(`${iso.slice(0, 10)}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  })
}

/** The follow-up bulletin a closed meeting's minutes suggest, for the partnership lead to edit and send. */
export function draftFromMinutes(minutes: ClosedMinutes): { title: string; body: string } {
  const when = longDate(minutes.heldOn)
  const lines = [`Thank you to everyone who came to ${minutes.title} on ${when}.`, '']
  if (minutes.decisions.length) {
    lines.push('## What we decided', ...minutes.decisions.map((d) => `- ${d}`), '')
  }
  if (minutes.publicActions.length) {
    lines.push(
      '## What happens next',
      ...minutes.publicActions.map((a) => `- ${a.text} (${a.owners.join(', ')}, by ${longDate(a.dueOn)})`),
      '',
    )
  }
  return { title: `Follow-up: ${minutes.title}, ${when}`, body: lines.join('\n').trimEnd() }
}

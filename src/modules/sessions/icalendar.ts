/** RFC 5545 text for one booked date: what a phone's calendar opens from an .ics file. */

const stamp = (iso: string) => `${iso.replace(/[-:]/g, '').slice(0, 15)}Z`

/** Commas, semicolons, backslashes and line breaks escaped as RFC 5545 §3.3.11 says. */
export function escapeText(value: string): string {
  return value.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n')
}

/** Lines longer than 75 octets folded with CRLF and a space (§3.1). */
function fold(line: string): string {
  const out: string[] = []
  let rest = line
  while (Buffer.byteLength(rest) > 75) {
    let cut = 74
    while (Buffer.byteLength(rest.slice(0, cut)) > 74) cut--
    out.push(rest.slice(0, cut))
    rest = ` ${rest.slice(cut)}`
  }
  out.push(rest)
  return out.join('\r\n')
}

export function icalendar(
  events: {
    uid: string
    startsAt: string
    endsAt: string
    summary: string
    description?: string
    location?: string
  }[],
  now = new Date().toISOString(),
): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Digital Inclusion Hub//Sessions//EN',
    'CALSCALE:GREGORIAN',
  ]
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${stamp(now)}`,
      `DTSTART:${stamp(e.startsAt)}`,
      `DTEND:${stamp(e.endsAt)}`,
      `SUMMARY:${escapeText(e.summary)}`,
    )
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`)
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`)
    lines.push('END:VEVENT')
  }
  lines.push('END:VCALENDAR')
  return `${lines.map(fold).join('\r\n')}\r\n`
}

export function bookingICalendar(
  booking: { id: string; reference: string },
  occurrence: {
    starts_at: string
    ends_at: string
    title: string
    online_link: string | null
    what_to_bring: string | null
  },
): string {
  const description = [
    `Booking reference ${booking.reference}.`,
    occurrence.online_link ? `Join at ${occurrence.online_link}` : '',
    occurrence.what_to_bring ? `Bring: ${occurrence.what_to_bring}` : '',
  ]
    .filter(Boolean)
    .join('\n')
  return icalendar([
    {
      uid: `${booking.id}@digital-inclusion-hub`,
      startsAt: occurrence.starts_at,
      endsAt: occurrence.ends_at,
      summary: occurrence.title,
      description,
    },
  ])
}

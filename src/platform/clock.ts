/** ISO-8601 UTC with milliseconds: sorts as text on SQLite and reads back the same from PostgreSQL. */
export function nowIso(): string {
  return new Date().toISOString()
}

export function addMinutes(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString()
}

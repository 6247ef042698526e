export { sha256 } from '#platform/hash.ts'

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

/** The borough a message to a staff member is about: theirs if they work in one, otherwise none. */
export function messageBorough(boroughs: 'all' | readonly string[]): string | null {
  return boroughs !== 'all' && boroughs.length === 1 ? (boroughs[0] ?? null) : null
}

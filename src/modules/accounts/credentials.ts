export { sha256 } from '#platform/hash.ts'

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

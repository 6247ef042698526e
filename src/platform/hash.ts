import { createHash } from 'node:crypto'

/** Hex SHA-256: how tokens, keys and throttling keys are stored, never as given. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

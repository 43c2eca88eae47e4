/** Compares a secret sent by a client with the one expected, in constant time whatever the lengths. */
import { createHash, timingSafeEqual } from 'node:crypto'

export function secretMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || expected.length === 0)
    return false
  // Hashing first gives equal lengths, so the comparison takes the same time for any guess.
  const digest = (text: string) => createHash('sha256').update(text).digest()
  return timingSafeEqual(digest(given), digest(expected))
}

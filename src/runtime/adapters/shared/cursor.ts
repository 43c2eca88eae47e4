/**
 * The opaque cursor `listRuns` hands out: a backend's page position as base64url JSON. Each backend says
 * what a valid position looks like, so a forged or stale cursor is refused (400) with a clear error.
 */
import { NventError } from '../../errors'

export function encodeCursor(position: object): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url')
}

export function decodeCursor<T>(cursor: string, isPosition: (value: any) => boolean): T {
  try {
    const position = JSON.parse(Buffer.from(cursor, 'base64url').toString())
    if (position && isPosition(position))
      return position as T
  }
  catch {
    // Reported below with the cursor itself.
  }
  throw new NventError(`nvent: invalid runs cursor ${quoteCursor(cursor)}: pass the cursor of the previous page as it came`, 400)
}

/** A cursor, id or page position quoted for a refusal; a long one is cut short, so it never echoes a huge value. */
export function quoteCursor(value: unknown): string {
  const text = String(value)
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)
}

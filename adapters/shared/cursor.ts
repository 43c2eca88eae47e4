/**
 * The opaque cursor `listRuns` hands out: a backend's page position as base64url JSON. Each backend says
 * what a valid position looks like, so a forged or stale cursor fails with a clear error.
 */
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
  throw new Error(`nvent: invalid runs cursor "${cursor}"`)
}

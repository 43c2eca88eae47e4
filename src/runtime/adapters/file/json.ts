import { encodeJson as encode } from '../shared/json'

/** The file backend's journal lines: JSON that comes back as it went in, or a TypeError naming what would not. */
export function encodeJson(value: unknown, what: string): string {
  return encode(value, what, { backend: 'file' })
}

import { encodeJson } from '../shared/json'

/** Everything the Redis backend keeps: JSON that comes back as it went in, or a TypeError naming what would not. */
export function toJson(value: unknown, what: string): string {
  return encodeJson(value, what, { backend: 'Redis' })
}

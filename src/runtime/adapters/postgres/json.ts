import { UNSTORABLE_TEXT } from '../../json-limits'
import { encodeJson, type JsonRules } from '../shared/json'

// JSON allows NUL and unpaired surrogates in strings and keys, but the server refuses them in JSONB.
const JSONB: JsonRules = { backend: 'PostgreSQL', badText: UNSTORABLE_TEXT }

/** A JSONB parameter: JSON the server accepts and gives back as it went in, or a TypeError naming what would not. */
export function encodeJsonb(value: unknown, what: string): string {
  return encodeJson(value, what, JSONB)
}

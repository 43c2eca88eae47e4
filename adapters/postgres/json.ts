import { encodeJson, type JsonRules } from '../shared/json'

const JSONB: JsonRules = {
  backend: 'PostgreSQL',
  // Valid in JS strings, but the server refuses them in JSONB text and keys.
  badText: {
    pattern: /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
    problem: 'contains a NUL character or an unpaired surrogate',
  },
}

/** A JSONB parameter: JSON the server accepts and gives back as it went in, or a TypeError naming what would not. */
export function encodeJsonb(value: unknown, what: string): string {
  return encodeJson(value, what, JSONB)
}

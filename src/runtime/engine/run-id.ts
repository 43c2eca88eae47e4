/** Run ids derived from a run's cause, so starting the same cause again names the run that exists. */
import { createHash } from 'node:crypto'

/** A run id in UUID form derived from `key`: the same key always gives the same id. */
export function derivedRunId(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

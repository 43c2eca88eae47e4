/** Build errors: every problem found in the function configs, collected so one build reports them all. */

/** One problem, located by the files involved and the config field. */
export interface BuildIssue {
  /** Files relative to the app root; flow-level problems name every file involved. */
  files: string[]
  /** Field path in the config, e.g. `config.flow.emits[1]`; empty for a problem of the whole file. */
  field: string
  /** What is wrong, phrased to follow the field: `must be a string (found number 3)`. */
  message: string
}

/** Renders one issue as `file: field message`. */
export function formatIssue(issue: BuildIssue): string {
  const field = issue.field ? `${issue.field} ` : ''
  return `${issue.files.join(', ')}: ${field}${issue.message}`
}

/** Renders all issues as one multi-line message. */
export function formatIssues(issues: BuildIssue[]): string {
  const title = issues.length === 1 ? '1 problem' : `${issues.length} problems`
  return `nvent: ${title} in function configs:\n${issues.map(issue => `  - ${formatIssue(issue)}`).join('\n')}`
}

/**
 * A mistake in the app's config, which stops `nuxi dev` / `nuxi build`. Its message says all there is to
 * say, so it is printed without a stack trace (nvent's frames would only bury it); `NVENT_DEBUG=1` keeps
 * the trace.
 */
export class NventConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'NventConfigError'
    if (!process.env.NVENT_DEBUG)
      this.stack = message
  }
}

/** The error of invalid function configs; `issues` keeps the structured list for tests and tools. */
export class NventBuildError extends NventConfigError {
  readonly issues: BuildIssue[]

  constructor(issues: BuildIssue[]) {
    super(formatIssues(issues))
    this.name = 'NventBuildError'
    this.issues = issues
  }
}

/** Appends a property or index to a field path: `config.flow` + `emits` = `config.flow.emits`. */
export function fieldPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`
  return /^[A-Z_$][\w$]*$/i.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`
}

/** Describes a found value for messages: `string "3"`, `array`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`
  return typeof value
}

/**
 * What a trigger may be named. A name travels in URLs (`{path}/webhook/<name>`), store keys and log names
 * on every backend, so it is kept to characters all of them take as they are, and short.
 */

/** 1 to 128 characters of letters, digits and `. _ : -`, starting with a letter or digit. */
const TRIGGER_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/

/** The rule in words, for messages. */
export const TRIGGER_NAME_RULE = '1 to 128 characters of letters, digits and . _ : -, starting with a letter or digit'

/** Whether `name` follows the rule. */
export function isTriggerName(name: unknown): name is string {
  return typeof name === 'string' && TRIGGER_NAME.test(name)
}

/** `name` quoted for a message; a long one is cut short, so a refusal never echoes a huge value back. */
function quoteName(name: string): string {
  return name.length > 64 ? `${JSON.stringify(name.slice(0, 64))}… (${name.length} characters)` : JSON.stringify(name)
}

/** Why `name` cannot name a trigger, or undefined when it can. */
export function triggerNameProblem(name: unknown): string | undefined {
  if (isTriggerName(name))
    return undefined
  return `a trigger name is ${TRIGGER_NAME_RULE} (found ${typeof name === 'string' ? quoteName(name) : typeof name})`
}

/**
 * BullMQ refuses some names the contract allows: queue names and custom job ids may not contain `:`
 * (it separates the parts of its keys), and a custom id may not look like an integer (those are its own
 * generated ids). Both are escaped reversibly: `%` becomes `%25` and `:` becomes `%3A`, so any other `%`
 * cannot appear in an escaped name, and an integer-looking id gets the marker `%i` in front. nvent's step
 * job ids (`<uuid>.<urlencoded step>`) contain none of these and are stored unchanged.
 */

/** Marks an id that would otherwise read as an integer. Escaping never produces a `%` followed by `i`. */
const INTEGER_MARK = '%i'

function escape(name: string): string {
  return name.replaceAll('%', '%25').replaceAll(':', '%3A')
}

function unescape(name: string): string {
  return name.replace(/%(25|3A)/g, (_, code: string) => code === '25' ? '%' : ':')
}

export function encodeQueueName(queue: string): string {
  return escape(queue)
}

export function encodeJobId(id: string): string {
  const escaped = escape(id)
  return `${Number.parseInt(escaped, 10)}` === escaped ? INTEGER_MARK + escaped : escaped
}

export function decodeJobId(stored: string): string {
  return unescape(stored.startsWith(INTEGER_MARK) ? stored.slice(INTEGER_MARK.length) : stored)
}

// Helpers for the playground's API routes: input checks that answer 400, and nvent's refusals (an NventError
// with its HTTP `status`: a bad cursor or input 400, an unknown trigger 404, a disabled one 409) answered with it.
import { hasStatus } from '../../../src/runtime/errors'

/** Runs `call`, turning an nvent refusal into its HTTP answer with its message. */
export async function withStatus<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  }
  catch (error) {
    if (hasStatus(error))
      throw createError({ statusCode: error.status, statusMessage: error.message })
    throw error
  }
}

export function badRequest(reason: string): never {
  throw createError({ statusCode: 400, statusMessage: reason })
}

/** The JSON body, or `undefined` for an empty one; invalid JSON answers 400. */
export async function jsonBody<T = unknown>(event: Parameters<typeof readBody>[0]): Promise<T | undefined> {
  return readBody<T>(event).catch(() => badRequest('the body is not valid JSON'))
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A positive integer query parameter, `undefined` when absent; anything else answers 400. */
export function limitQuery(value: unknown, max = 1000): number | undefined {
  if (value === undefined || value === '')
    return undefined
  const limit = Number(value)
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    badRequest(`limit must be an integer from 1 to ${max} (found ${JSON.stringify(value)})`)
  return limit
}

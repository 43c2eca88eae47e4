/** How the monitor's routes answer: the result as JSON, a refusal with its status and reason, never a bare 500. */
import type { H3Event } from 'h3'
import { setResponseStatus } from 'h3'
import { hasStatus } from '../../errors'

export async function answerMonitor(event: H3Event, call: () => Promise<unknown>): Promise<unknown> {
  try {
    return await call()
  }
  catch (error) {
    setResponseStatus(event, hasStatus(error) ? error.status : 503)
    // Anything without a status is the backend failing (down, timed out), not the request being wrong.
    return { error: hasStatus(error) ? error.message : `nvent: monitor: the backend did not answer: ${(error as Error)?.message ?? error}` }
  }
}

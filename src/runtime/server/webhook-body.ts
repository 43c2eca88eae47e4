/**
 * The HTTP side shared by both webhook routes: read the raw body (refusing one larger than the limit
 * before buffering it), hand it on, and answer with the status and body that come back.
 */
import type { H3Event } from 'h3'
import { setResponseStatus } from 'h3'
import type { WebhookAnswer } from '../types/webhook'

class BodyTooLarge extends Error {}

async function readLimitedBody(event: H3Event, maxBytes: number): Promise<Buffer> {
  if (Number(event.node.req.headers['content-length']) > maxBytes)
    throw new BodyTooLarge()
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of event.node.req) {
    size += chunk.length
    if (size > maxBytes)
      throw new BodyTooLarge()
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

export async function answerWebhook(event: H3Event, maxBytes: number, handle: (raw: Buffer) => Promise<WebhookAnswer>): Promise<Record<string, unknown>> {
  let answer: WebhookAnswer
  try {
    const bodyless = event.method === 'GET' || event.method === 'HEAD'
    answer = await handle(bodyless ? Buffer.alloc(0) : await readLimitedBody(event, maxBytes))
  }
  catch (error) {
    if (!(error instanceof BodyTooLarge))
      throw error
    answer = { status: 413, body: { error: `body is larger than ${maxBytes} bytes` } }
  }
  setResponseStatus(event, answer.status)
  return answer.body
}

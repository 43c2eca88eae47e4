/** Reads a server-sent event stream over fetch, collecting its events until closed. */
import type { EventSourceMessage } from 'eventsource-parser'
import { createParser } from 'eventsource-parser'

export interface SseReader {
  events: EventSourceMessage[]
  /** The `retry` the server sent. */
  retry?: number
  /** Ends the request, as a closed browser tab would. */
  close(): void
}

export async function readSse(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const controller = new AbortController()
  const response = await fetch(url, { headers, signal: controller.signal })
  if (!response.ok || !response.headers.get('content-type')?.startsWith('text/event-stream'))
    throw new Error(`expected an event stream from ${url}, got ${response.status} ${response.headers.get('content-type')}`)
  const reader: SseReader = { events: [], close: () => controller.abort() }
  const parser = createParser({
    onEvent: event => void reader.events.push(event),
    onRetry: (retry) => { reader.retry = retry },
  })
  void (async () => {
    const chunks = response.body!.pipeThrough(new TextDecoderStream()).getReader()
    for (let chunk = await chunks.read(); !chunk.done; chunk = await chunks.read())
      parser.feed(chunk.value)
  })().catch(() => {})
  return reader
}

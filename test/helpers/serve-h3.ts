/** Serves an h3 handler over real HTTP on a free port, as Nitro would, for the transports' tests. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { EventHandler } from 'h3'
import { createApp, toNodeListener } from 'h3'
import { afterEach } from 'vitest'

export async function serveHandler(handler: EventHandler): Promise<{ origin: string, close(): Promise<void> }> {
  const app = createApp()
  app.use(handler)
  const server = createServer(toNodeListener(app))
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>(resolve => server.close(() => resolve())).then(() => server.closeAllConnections()),
  }
}

/** `serveHandler` for the tests of a describe block: every server is closed after each test. */
export function useServedHandlers() {
  const servers: Array<{ close(): Promise<void> }> = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(server => server.close()))
  })
  return async (handler: EventHandler) => {
    const server = await serveHandler(handler)
    servers.push(server)
    return server
  }
}

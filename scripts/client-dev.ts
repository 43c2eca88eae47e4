/**
 * `npm run dev:client`: the Nvent tab's client with hot reload, outside DevTools, against a real memory
 * engine running a demo app in this process (the monitor tests' app), reached through the same bridge
 * route the dev server uses. Prints the URL to open; PORT sets the port (default 5175).
 */
import { createServer } from 'node:http'
import { createApp, fromNodeMiddleware, toNodeListener } from 'h3'
import { createServer as createVite } from 'vite'
import { createBridgeHandler } from '../src/runtime/server/monitor/bridge-handler'
import { BRIDGE_ROUTE } from '../src/runtime/types/devtools'
import { startApp, waitForRunEnd } from '../test/helpers/engine-app'
import { memoryBackend } from '../test/helpers/memory-backend'
import { monitorTestApp } from '../test/monitor/monitor-test-app'

const SECRET = 'preview'
const port = Number(process.env.PORT ?? 5175)

const { app: demo, controls } = monitorTestApp()
const engine = await startApp(memoryBackend, demo, { dev: true })
const { nvent } = engine
// Something to look at: finished, failed, awaiting and running runs.
await waitForRunEnd(nvent, (await nvent.flow.start('order', { sku: 'A-1' })).runId)
controls.failShip.on = true
await waitForRunEnd(nvent, (await nvent.flow.start('order', { sku: 'B-2' })).runId)
controls.failShip.on = false
await nvent.flow.start('approval', {})
await nvent.flow.start('parent', {})

const vite = await createVite({
  configFile: `${import.meta.dirname}/../devtools-client/vite.config.ts`,
  server: { middlewareMode: true, hmr: { port: port + 1 } },
  appType: 'spa',
})
const app = createApp()
app.use(BRIDGE_ROUTE, createBridgeHandler({ secret: () => SECRET, monitor: () => nvent.monitor }))
app.use(fromNodeMiddleware(vite.middlewares))
createServer(toNodeListener(app)).listen(port, () => {
  console.log(`Nvent client preview: http://localhost:${port}/?preview-bridge=${encodeURIComponent(BRIDGE_ROUTE)}&secret=${SECRET}`)
})
process.on('SIGINT', async () => {
  await vite.close()
  await engine.close()
  process.exit(0)
})

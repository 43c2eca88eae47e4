/** Test apps per describe block, closed after each test (kept apart so child processes can use engine-app without vitest). */
import { afterEach } from 'vitest'
import type { Backend } from '../conformance/backend'
import type { RunningApp, TestApp } from './engine-app'
import { startApp } from './engine-app'

/** Apps started through the returned `start` are closed after each test of the block. */
export function useApps(backend: Backend) {
  const running: RunningApp[] = []
  afterEach(async () => {
    await Promise.all(running.splice(0).map(app => app.close()))
  })
  return {
    async start(app: TestApp, options?: Parameters<typeof startApp>[2]): Promise<RunningApp> {
      const started = await startApp(backend, app, options)
      running.push(started)
      return started
    },
  }
}

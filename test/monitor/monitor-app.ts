/** The monitor's test app (monitor-test-app.ts), started per test. */
import type { Backend } from '../conformance/backend'
import type { RunningApp } from '../helpers/engine-app'
import { useApps } from '../helpers/use-apps'
import { memoryBackend } from '../helpers/memory-backend'
import type { MonitorAppControls } from './monitor-test-app'
import { monitorTestApp } from './monitor-test-app'

export interface MonitorApp extends RunningApp, MonitorAppControls {}

/** Starts the app on `backend` (memory by default) for each test that calls, closing it after the test. */
export function useMonitorApp(backend: Backend = memoryBackend) {
  const apps = useApps(backend)
  return async (options: Parameters<typeof apps.start>[1] = {}): Promise<MonitorApp> => {
    const { app, controls } = monitorTestApp()
    return Object.assign(await apps.start(app, options), controls)
  }
}

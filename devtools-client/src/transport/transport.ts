/**
 * How the UI reaches the monitor. Components never call birpc or fetch: they get a Transport. The DevTools
 * one has every action; the dashboard's is read-only and has none, so the UI renders no action controls.
 */
import type { MonitorActions, MonitorMessage, MonitorReads } from '../../../runtime/types/monitor'

export interface LiveHandlers {
  onMessage(message: MonitorMessage): void
  /** Messages were lost: read everything again. */
  onReset(): void
}

export interface Transport {
  reads: MonitorReads
  /** Absent on a read-only transport. */
  actions?: MonitorActions
  /** Starts delivering live messages; the returned function stops. */
  live(handlers: LiveHandlers): () => void
  /** Opens a step's source file in the editor, where the host can (DevTools). */
  openInEditor?(file: string): void
}

/** Wraps `call(name, args)` as the typed reads and actions objects. */
export function callProxy<T extends object>(call: (name: string, args: unknown[]) => Promise<unknown>): T {
  return new Proxy({} as T, {
    get: (_, name) => typeof name === 'string' ? (...args: unknown[]) => call(name, args) : undefined,
  })
}

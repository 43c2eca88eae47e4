/**
 * How the UI reaches the monitor. Components never call birpc or fetch: they get a Transport. The DevTools
 * one has every action; the dashboard's is read-only and has none, so the UI renders no action controls.
 */
import type { Ref } from 'vue'
import type { MonitorActions, MonitorMessage, MonitorReads } from '../../../src/runtime/types/monitor'

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
  /**
   * The sign-in guarding the transport, where one does (the dashboard, behind its token): the UI shows only
   * the sign-in until it is signed in. Absent where the host already vouches for the user (DevTools).
   */
  session?: Session
}

export type SessionState = 'checking' | 'signed-in' | 'signed-out'

/** A token exchanged once for a session the server keeps in a cookie, which every read then carries. */
export interface Session {
  /** 'checking' until the server has said whether the session is good; a 401 later turns it 'signed-out'. */
  readonly state: Readonly<Ref<SessionState>>
  /** Signs in with the server's token: true, or the reason to show. */
  signIn(token: string): Promise<true | string>
  /** Ends the session on the server; signed out here either way. */
  signOut(): Promise<void>
}

/** Wraps `call(name, args)` as the typed reads and actions objects. */
export function callProxy<T extends object>(call: (name: string, args: unknown[]) => Promise<unknown>): T {
  return new Proxy({} as T, {
    get: (_, name) => typeof name === 'string' ? (...args: unknown[]) => call(name, args) : undefined,
  })
}

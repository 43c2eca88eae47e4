/**
 * The stream contract: live publish/subscribe of run events across instances. It carries what already
 * happened (the store holds the record); a subscriber that was away reads the store to catch up.
 */
export type StreamHandler = (message: unknown) => void

export interface StreamAdapter {
  publish(topic: string, message: unknown): Promise<void>
  /** Resolves once the subscription is live; the returned function ends it. */
  subscribe(topic: string, handler: StreamHandler): Promise<() => Promise<void>>
  close(): Promise<void>
}

/**
 * The stream contract: live publish/subscribe of run events across instances. It carries what already
 * happened (the store holds the record); a subscriber that was away reads the store to catch up.
 */
export type StreamHandler = (message: unknown) => void

export interface StreamAdapter {
  publish(topic: string, message: unknown): Promise<void>
  /**
   * Publishes `messages` on `topic` in their order, as one write where the backend can (one Redis PUBLISH,
   * one PostgreSQL statement). Subscribers get them in that order, as from `publish` called for each.
   */
  publishAll(topic: string, messages: unknown[]): Promise<void>
  /** Resolves once the subscription is live; the returned function ends it. */
  subscribe(topic: string, handler: StreamHandler): Promise<() => Promise<void>>
  close(): Promise<void>
}

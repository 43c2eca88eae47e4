/** What the two webhook routes call (`useNvent().webhooks`), apart from HTTP. */

export interface WebhookAnswer {
  status: number
  body: Record<string, unknown>
}

export interface WebhookApi {
  /** A request to `{path}/webhook/:trigger`: `raw` is its body, `signature` the signature header. */
  trigger(name: string, raw: Buffer, signature: string | undefined): Promise<WebhookAnswer>
  /** A request to `{path}/await/:token`; `query` is the payload of a GET. */
  await(token: string, method: string, raw: Buffer, query: Record<string, unknown>): Promise<WebhookAnswer>
}

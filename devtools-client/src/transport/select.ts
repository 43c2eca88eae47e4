/** The transport of where the client runs: the preview's bridge when `npm run dev:client` serves it, else DevTools. */
import { devtoolsTransport } from './devtools'
import type { Transport } from './transport'

export async function selectTransport(): Promise<Transport> {
  const preview = new URLSearchParams(location.search).get('preview-bridge')
  // `import.meta.env.DEV` is false in a build, which drops the preview transport from it.
  if (import.meta.env.DEV && preview) {
    const { previewTransport } = await import('./preview')
    return previewTransport(preview, new URLSearchParams(location.search).get('secret') ?? '')
  }
  return devtoolsTransport()
}

/**
 * The transport of where the client runs: the dashboard's HTTP API when the server that serves the page names
 * it, the preview's bridge when `npm run dev:client` serves it, else DevTools.
 */
import type { Transport } from './transport'

export async function selectTransport(): Promise<Transport> {
  // The dashboard's server writes its API's path into the page: `<meta name="nvent-dashboard" content="./api">`.
  const dashboard = document.querySelector<HTMLMetaElement>('meta[name="nvent-dashboard"]')?.content
  // Each host loads only its own transport: the dashboard never ships DevTools' client, nor the tab HTTP.
  if (dashboard)
    return (await import('./http')).httpTransport(dashboard)
  const preview = new URLSearchParams(location.search).get('preview-bridge')
  // `import.meta.env.DEV` is false in a build, which drops the preview transport from it.
  if (import.meta.env.DEV && preview) {
    const { previewTransport } = await import('./preview')
    return previewTransport(preview, new URLSearchParams(location.search).get('secret') ?? '')
  }
  return (await import('./devtools')).devtoolsTransport()
}

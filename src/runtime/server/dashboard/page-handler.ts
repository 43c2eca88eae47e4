/**
 * The dashboard's page at `<route>/`: the client's index.html (marked as the dashboard, so it talks HTTP)
 * and its icon. The page holds no data, so it is served to anyone the dashboard would serve, signed in or
 * not (the client shows its sign-in until the API lets it in); not configured, it is refused with the
 * reason. The client's hashed scripts and styles are public assets under `<route>/assets/`. GET and HEAD
 * only: every other method on any dashboard path is a 405.
 */
import type { EventHandler } from 'h3'
import { defineEventHandler, sendRedirect, setResponseHeader, setResponseHeaders, setResponseStatus } from 'h3'
import type { DashboardDoor } from './access'
import { checkAccess } from './access'

export interface DashboardPage {
  html: string
  icon: string
}

export interface DashboardPageOptions extends DashboardDoor {
  route: string
  page: DashboardPage
}

/** The client runs no inline script and loads nothing from elsewhere; Vue Flow sets inline styles. */
const SECURITY_HEADERS = {
  'content-security-policy': 'default-src \'self\'; style-src \'self\' \'unsafe-inline\'; img-src \'self\' data:; frame-ancestors \'none\'; base-uri \'none\'; form-action \'none\'',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

export function createDashboardPage(options: DashboardPageOptions): EventHandler {
  return defineEventHandler(async (event) => {
    if (event.method !== 'GET' && event.method !== 'HEAD') {
      setResponseHeader(event, 'allow', 'GET, HEAD')
      setResponseStatus(event, 405)
      return { error: `the nvent dashboard is read-only: ${event.method} is not allowed` }
    }
    const [path, query] = event.path.split('?') as [string, string | undefined]
    // The page's asset paths are relative, so it must be served as a folder.
    if (path === options.route)
      return sendRedirect(event, `${options.route.split('/').pop()}/${query ? `?${query}` : ''}`, 308)
    const file = path.slice(options.route.length + 1)
    if (file !== '' && file !== 'index.html' && file !== 'icon.svg') {
      setResponseStatus(event, 404)
      return { error: `the nvent dashboard has no ${path}` }
    }
    const access = await checkAccess(event, options)
    if (!access.allowed && access.status === 503) {
      setResponseStatus(event, 503)
      setResponseHeader(event, 'content-type', 'text/plain; charset=utf-8')
      return access.reason
    }
    setResponseHeaders(event, SECURITY_HEADERS)
    setResponseHeader(event, 'cache-control', 'no-cache')
    setResponseHeader(event, 'content-type', file === 'icon.svg' ? 'image/svg+xml' : 'text/html; charset=utf-8')
    return file === 'icon.svg' ? options.page.icon : options.page.html
  })
}

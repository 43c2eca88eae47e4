/**
 * Opens a module's custom tab in Nuxt DevTools in real Chromium, the way a developer does: the app page,
 * DevTools opened, the tab chosen. Resolves the tab's frame.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'pathe'
import type { Browser, FrameLocator, Page } from 'playwright-core'
import { chromium } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'

/** Why a browser test cannot run here, or undefined. With CI=true it runs and fails instead. */
export function browserMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `Chromium is not installed at ${CHROMIUM} (.ci/run installs it)`
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

export interface OpenTab {
  page: Page
  tab: FrameLocator
}

/**
 * `url`: the dev server; `home`: its HOME, where DevTools wrote its dev auth token; `name`: the tab's
 * name as given to addCustomTab; `src`: a part of the tab iframe's src.
 */
export async function openDevtoolsTab(browser: Browser, options: { url: string, home: string, name: string, src: string, colorMode?: 'light' | 'dark' }): Promise<OpenTab> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
  const page = await context.newPage()
  const openDevtools = async () => {
    await page.waitForFunction(() => (window as any).__NUXT_DEVTOOLS_HOST__, undefined, { timeout: 60_000 })
    await page.evaluate(() => (window as any).__NUXT_DEVTOOLS_HOST__.devtools.open())
  }
  await page.goto(options.url)
  await page.evaluate((colorMode) => {
    localStorage.setItem('nuxt-devtools-first-visit', 'false')
    localStorage.setItem('nuxt-devtools-color-mode', colorMode)
    // The panel over the whole page, so the tab gets the room a developer would give it.
    localStorage.setItem('nuxt-devtools-frame-state', JSON.stringify({ width: 100, height: 100, top: 0, left: 50, open: false, route: '/', position: 'bottom', closeOnOutsideClick: false, minimizePanelInactive: 5000 }))
  }, options.colorMode ?? 'light')
  // DevTools writes its dev auth token under HOME the first time its client asks to be let in.
  await openDevtools()
  const tokenFile = join(options.home, '.nuxt/devtools/dev-auth-token.txt')
  for (let waited = 0; !existsSync(tokenFile); waited += 200) {
    if (waited > 30_000)
      throw new Error(`DevTools wrote no dev auth token at ${tokenFile}`)
    await page.waitForTimeout(200)
  }
  const token = readFileSync(tokenFile, 'utf8').trim()
  await page.evaluate(token => localStorage.setItem('__nuxt_dev_token__', token), token)
  await page.reload()
  await openDevtools()
  const devtools = page.frameLocator('#nuxt-devtools-iframe')
  await devtools.locator('#nuxt-devtools-side-nav').waitFor({ timeout: 60_000 })
  await page.evaluate(name => (window as any).__NUXT_DEVTOOLS_HOST__.devtools.navigate(`/modules/custom-${name}`), options.name)
  return { page, tab: devtools.frameLocator(`iframe[src*="${options.src}"]`) }
}

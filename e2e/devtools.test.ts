// The Nvent tab in Nuxt DevTools, in real Chromium, against a copy of the playground under `nuxi dev` (its
// default file backend):
// every view, every action, live updates without reloading, and the fix-and-rerun loop. Screenshots of
// each view go to e2e/.tmp/screenshots (not committed).
import { join } from 'pathe'
import type { Browser, FrameLocator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DevServer } from './helpers/dev-server'
import { startDevServer } from './helpers/dev-server'
import { browserMissing, launchChromium, openDevtoolsTab } from './helpers/devtools-tab'
import { keepBesideScreenshots, screenshot } from './helpers/screenshots'
import { repoRoot } from './helpers/server'

const missing = process.env.CI ? undefined : browserMissing()
let server: DevServer
let browser: Browser
let page: Page
let tab: FrameLocator

/** Goes to a view by its hash, as the side bar's links do. */
async function go(hash: string) {
  await tab.locator('body').evaluate((body, hash) => { body.ownerDocument.defaultView!.location.hash = hash }, hash)
}

/** Starts a flow from the Runs view's dialog; resolves once its detail view shows. */
async function startFlow(flow: string, input: unknown) {
  await go('#/runs')
  await tab.getByTestId('start-flow').click()
  await tab.getByTestId('start-flow-flow').selectOption(flow)
  await tab.getByTestId('start-flow-input').fill(JSON.stringify(input))
  await tab.getByTestId('start-flow-submit').click()
  await tab.getByTestId('run-status').waitFor()
}

const runStatus = () => tab.getByTestId('run-status')

/** The status the shown run ends with. */
async function endStatus(timeout = 20_000): Promise<string | null> {
  const ends = ['completed', 'failed', 'canceled', 'stalled']
  await expect.poll(async () => ends.includes(await runStatus().getAttribute('data-status') ?? ''), { timeout }).toBe(true)
  return runStatus().getAttribute('data-status')
}

describe.skipIf(missing)(`the Nvent DevTools tab${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    server = await startDevServer(join(repoRoot, 'playground'))
    browser = await launchChromium()
    ;({ page, tab } = await openDevtoolsTab(browser, { url: server.url, home: server.home, name: 'nvent', src: '__nvent__/devtools' }))
    await tab.getByRole('navigation', { name: 'Nvent views' }).waitFor({ timeout: 30_000 })
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    // The dev server's output beside the screenshots, for when a step here failed.
    if (server) {
      keepBesideScreenshots('dev-server.log', server.output())
    }
    server?.stop()
  })

  it('shows each playground flow as a graph with a node per step', async () => {
    await go('#/flows/order')
    await expect.poll(() => tab.getByTestId('step-node').count(), { timeout: 15_000 }).toBe(4)
    const names = await tab.getByTestId('step-node').evaluateAll(nodes => nodes.map(node => node.getAttribute('data-step')))
    expect(names.sort()).toEqual(['charge-payment', 'receive-order', 'reserve-stock', 'ship-order'])
    expect(await tab.getByTestId('flow-list-item').count()).toBeGreaterThanOrEqual(12)
    await screenshot(page, 'flows')
  })

  it('starts a flow and watches its steps complete on the timeline and the graph, without reloading', async () => {
    await startFlow('order', { orderId: 'e2e-1', total: 10 })
    await expect.poll(() => runStatus().getAttribute('data-status'), { timeout: 20_000 }).toBe('completed')
    await expect.poll(() => tab.locator('[data-testid="timeline-step"][data-status="completed"]').count()).toBe(4)
    await screenshot(page, 'run-detail')
    await go('#/flows/order')
    await expect.poll(() => tab.locator('[data-testid="step-node"][data-status="completed"]').count(), { timeout: 15_000 }).toBe(4)
  })

  it('fires a manual trigger and sees its run appear', async () => {
    await go('#/triggers')
    const row = tab.locator('[data-testid="trigger-row"][data-trigger="manual.send-notification"]')
    await row.click()
    await tab.getByTestId('trigger-fire').click()
    await tab.getByTestId('trigger-fire-submit').click()
    await expect.poll(() => tab.getByTestId('trigger-history-row').count(), { timeout: 15_000 }).toBeGreaterThan(0)
    await screenshot(page, 'triggers')
    await go('#/runs')
    await expect.poll(() => tab.locator('[data-testid="run-row"]').filter({ hasText: 'notification-flow' }).count(), { timeout: 15_000 }).toBeGreaterThan(0)
    await screenshot(page, 'runs')
  })

  it('approves a webhook await from the run, and rejects another', { timeout: 60_000 }, async () => {
    await startFlow('webhook-approval-flow', {})
    await tab.getByTestId('approve').waitFor({ timeout: 15_000 })
    await tab.getByTestId('approve').click()
    await tab.getByTestId('approve-payload').fill(JSON.stringify({ approved: true, comment: 'looks good' }))
    await tab.getByTestId('approve-submit').click()
    await expect.poll(() => runStatus().getAttribute('data-status'), { timeout: 15_000 }).toBe('completed')

    await startFlow('webhook-approval-flow', {})
    await tab.getByTestId('reject').waitFor({ timeout: 15_000 })
    await tab.getByTestId('reject').click()
    await tab.getByTestId('reject-reason').fill('not this quarter')
    await tab.getByTestId('reject-submit').click()
    await expect.poll(() => runStatus().getAttribute('data-status'), { timeout: 15_000 }).toBe('failed')
    expect(await tab.getByTestId('run-error').innerText()).toContain('not this quarter')
  })

  it('resumes a time await now', async () => {
    await startFlow('reminder-flow', { to: 'e2e@example.com' })
    await tab.getByTestId('resume').waitFor({ timeout: 15_000 })
    await tab.getByTestId('resume').click()
    await expect.poll(() => runStatus().getAttribute('data-status'), { timeout: 15_000 }).toBe('completed')
  })

  it('cancels a running run', async () => {
    await startFlow('report', { pages: 40 })
    await tab.getByTestId('cancel').waitFor({ timeout: 15_000 })
    await tab.getByTestId('cancel').click()
    await tab.getByTestId('cancel-confirm').click()
    await expect.poll(() => runStatus().getAttribute('data-status'), { timeout: 15_000 }).toBe('canceled')
  })

  it('fixes what made a step fail, then reruns from the failed step: the earlier steps are not run again', { timeout: 60_000 }, async () => {
    await startFlow('reindex', {})
    expect(await endStatus()).toBe('failed')
    expect(await tab.getByTestId('step-error').first().innerText()).toContain('search cluster is read-only')
    // The fix: the cluster the step writes to becomes writable.
    const fixed = await fetch(`${server.url}/api/maintenance/cluster`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ writable: true }) })
    expect(fixed.status).toBe(200)
    const failedRun = await tab.getByTestId('run-id').innerText()
    await tab.getByTestId('rerun-failed').click()
    // The view moves to the new run; until it has, the status shown is the failed run's.
    await expect.poll(() => tab.getByTestId('run-id').innerText(), { timeout: 15_000 }).not.toBe(failedRun)
    expect(await endStatus(30_000)).toBe('completed')
    const reused = await tab.locator('[data-testid="timeline-step"][data-reused="true"]').evaluateAll(rows => rows.map(row => row.getAttribute('data-step')))
    expect(reused).toEqual(['purge-cache'])
    await screenshot(page, 'rerun')
  })

  it('shows queues with their counts, and follows DevTools into dark mode', async () => {
    await go('#/queues')
    await expect.poll(() => tab.getByTestId('queue-row').count(), { timeout: 30_000 }).toBeGreaterThan(5)
    await screenshot(page, 'queues')
    await go('#/')
    await tab.getByTestId('runs-chart').waitFor()
    await screenshot(page, 'overview')
    // DevTools' colour mode, switched in the host page, reaches the tab without a reload.
    await page.evaluate(() => localStorage.setItem('nuxt-devtools-color-mode', 'dark'))
    await expect.poll(() => tab.locator('html').getAttribute('class')).toContain('dark')
    await screenshot(page, 'overview-dark')
    await go('#/flows/order')
    await tab.getByTestId('flow-graph').waitFor()
    await screenshot(page, 'flows-dark')
  })
})

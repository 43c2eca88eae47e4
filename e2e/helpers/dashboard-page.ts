/** The read-only dashboard in real Chromium: opening it, signing in, and what a read-only page must not have. */
import type { Browser, Page } from 'playwright-core'
import { expect } from 'vitest'

/** A fresh browser context (no cookie) on the dashboard of the server at `url`. */
export async function openDashboard(browser: Browser, url: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme })
  const page = await context.newPage()
  await page.goto(`${url}/_nvent`)
  return page
}

export async function signIn(page: Page, token: string): Promise<void> {
  await page.getByTestId('sign-in-token').fill(token)
  await page.getByTestId('sign-in').locator('button[type="submit"]').click()
}

/** Goes to a view by its hash, as the side bar's links do. */
export async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate((hash) => { location.hash = hash }, hash)
}

/** The test ids of every control that changes something, in any view of the DevTools tab. */
const ACTION_TEST_IDS = [
  'approve', 'reject', 'resume', 'cancel', 'rerun', 'rerun-edited', 'rerun-failed', 'start-flow', 'trigger-fire',
  'trigger-toggle', 'queue-pause', 'queue-resume', 'job-retry', 'job-remove',
]
const ACTION_WORDS = /\b(approve|reject|resume|cancel|rerun|start flow|fire|retry|remove|pause)\b/i

/** Fails when the page shows any control that changes something: by test id, or a button by its words. */
export async function expectNoActionControls(page: Page, where: string): Promise<void> {
  for (const id of ACTION_TEST_IDS)
    expect(await page.getByTestId(id).count(), `${where}: ${id}`).toBe(0)
  const buttons = await page.locator('button, [role="button"], input[type="submit"]').allInnerTexts()
  expect(buttons.filter(text => ACTION_WORDS.test(text)), `${where}: buttons`).toEqual([])
}

/**
 * Starts a run with `start` (over HTTP, on whichever instance) while the Runs view is open, and checks that
 * it appears and that its timeline and logs reach their end without a reload.
 */
export async function expectRunFollowedLive(page: Page, start: () => Promise<string>, steps: number): Promise<string> {
  await go(page, '#/runs')
  await page.getByTestId('runs-live-toggle').waitFor()
  const runId = await start()
  const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`)
  await row.waitFor({ timeout: 15_000 })
  await row.click()
  await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('completed')
  await expect.poll(() => page.locator('[data-testid="timeline-step"][data-status="completed"]').count(), { timeout: 15_000 }).toBe(steps)
  await page.getByTestId('run-tab-logs').click()
  await expect.poll(() => page.getByTestId('log-row').count(), { timeout: 15_000 }).toBeGreaterThan(0)
  return runId
}

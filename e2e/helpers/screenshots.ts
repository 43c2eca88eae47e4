/** Where the browser tests leave what a person checks after a run: screenshots and server logs (not committed). */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'pathe'
import type { Page } from 'playwright-core'
import { repoRoot } from './server'

const shots = join(repoRoot, 'e2e/.tmp/screenshots')

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true })
  await page.screenshot({ path: join(shots, `${name}.png`) })
}

/** Writes `text` beside the screenshots, e.g. a server's output for when a step failed. */
export function keepBesideScreenshots(file: string, text: string): void {
  mkdirSync(shots, { recursive: true })
  writeFileSync(join(shots, file), text)
}

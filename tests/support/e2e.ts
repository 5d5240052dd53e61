/**
 * What every browser test starts: the local backend the H5 build was made for (same port and signing key,
 * see scripts/e2e-env.ts; reset to the seed), a static server for dist/h5, Debian's Chromium and a phone-
 * sized page. Browser test files run one at a time, each with its own E2E.
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { startLocalBackend, type LocalBackend, type LocalBackendOptions } from '../../supabase/local/server'
import { launchChromium } from './browser'
import { serveStatic } from './static-server'

const root = path.resolve(__dirname, '..', '..')
export const e2eDir = path.join(root, '.local', 'e2e')
const h5Dir = path.join(root, 'dist', 'h5')

export interface E2E {
  backend: LocalBackend
  site: { url: string; close(): Promise<void> }
  browser: Browser
  page: Page
  close(): Promise<void>
}

export async function startE2E(opts: Pick<LocalBackendOptions, 'scheduler'> = {}): Promise<E2E> {
  if (!existsSync(path.join(h5Dir, 'index.html'))) throw new Error('dist/h5 is missing: run `npm test` (or the h5 build) first')
  const env = JSON.parse(readFileSync(path.join(e2eDir, 'build-env.json'), 'utf8')) as { url: string; anonKey: string }
  const backend = await startLocalBackend({
    port: Number(new URL(env.url).port),
    dataDir: e2eDir,
    reset: true,
    databaseUrl: process.env.E2E_DATABASE_URL,
    ...opts,
  })
  if (backend.anonKey !== env.anonKey) {
    await backend.close()
    throw new Error('the H5 build was made for another signing key: run `npm test` (it rebuilds with scripts/e2e-env.ts)')
  }
  const site = await serveStatic(h5Dir)
  const browser = await launchChromium()
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' })
  return {
    backend,
    site,
    browser,
    page,
    async close() {
      await browser.close()
      await site.close()
      await backend.close()
    },
  }
}

/** Saves what the page looked like when a test failed, under .local/e2e/failures/. */
export async function screenshotFailure(page: Page | undefined, testName: string): Promise<void> {
  if (!page) return
  const dir = path.join(e2eDir, 'failures')
  await mkdir(dir, { recursive: true })
  const name = testName.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 80)
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true }).catch(() => undefined)
}

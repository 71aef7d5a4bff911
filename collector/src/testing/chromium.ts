/**
 * Debian's Chromium driven by playwright-core, as the browser tests and the SDK benchmark run it
 * (never a downloaded browser: `npx playwright install` cannot work here).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Headless Chromium says "HeadlessChrome", which the collector rightly counts as a bot. */
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

/** the flags every run of Debian's Chromium here takes (the SDK benchmark's bare CDP run too) */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Playwright's `userAgent` does not reach the beacons a page sends as it unloads: without this
  // they go out as HeadlessChrome and are dropped as a bot's (TOOLCHAIN.md).
  `--user-agent=${USER_AGENT}`,
];

export type Browser = BrowserContext & { dispose(): Promise<void> };
export interface LaunchOptions {
  /** keep the back/forward cache, which Playwright turns off by default */
  bfcache?: boolean;
}

/** A fresh profile each time: no storage carried over between tests. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kizuna-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: options.bfcache ? ['--disable-back-forward-cache'] : undefined,
    userAgent: USER_AGENT,
  });
  return Object.assign(context, {
    dispose: async () => {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  });
}

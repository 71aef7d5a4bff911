/**
 * What the browser tests run against: the real collector and demo site on random local ports (on
 * a clone of the test PGlite, or on DATABASE_URL), and Debian's Chromium driven by playwright-core.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../collector/src/demo.ts';
import { readEnv } from '../../collector/src/env.ts';
import { testDb } from '../../collector/src/testing/db.ts';

/** The demo site, or the test pages of `tests/pages/` with `pages: 'tests'`. */
export async function startStack(options: { pages?: 'demo' | 'tests' } = {}): Promise<RunningDemo> {
  const env = { ...readEnv({}), port: 0, host: '127.0.0.1', rollupEveryMs: 300 };
  return startDemo(env, 0, {
    db: await testDb(),
    siteId: `demo-${randomUUID().slice(0, 8)}.kizuna.local`,
    pagesDir: options.pages === 'tests' ? fileURLToPath(new URL('../pages', import.meta.url)) : undefined,
  });
}

/** Headless Chromium says "HeadlessChrome", which the collector rightly counts as a bot. */
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

const ARGS = [
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
    args: ARGS,
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

/** Polls until `check` returns a value (not undefined), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

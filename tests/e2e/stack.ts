/**
 * What the browser tests run against: the real collector and demo site on random local ports (on
 * a clone of the test PGlite, or on DATABASE_URL), and Debian's Chromium (collector/src/testing/chromium.ts).
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startDemo, type RunningDemo } from '../../collector/src/demo/index.ts';
import { readEnv } from '../../collector/src/env.ts';
import { testDb } from '../../collector/src/testing/db.ts';

export { launchBrowser, type Browser, type LaunchOptions } from '../../collector/src/testing/chromium.ts';

/** The demo site, or the test pages of `tests/pages/` with `pages: 'tests'`. */
export async function startStack(options: { pages?: 'demo' | 'tests' } = {}): Promise<RunningDemo> {
  const env = { ...readEnv({}), port: 0, host: '127.0.0.1', rollupEveryMs: 300 };
  return startDemo(env, 0, {
    db: await testDb(),
    siteId: `demo-${randomUUID().slice(0, 8)}.kizuna.local`,
    pagesDir: options.pages === 'tests' ? fileURLToPath(new URL('../pages', import.meta.url)) : undefined,
    // the tests read what their own browser sent: no seeded weeks around it
    seed: false,
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

/**
 * What a browser test file needs, started before its tests and closed after them: the stack
 * (stack.ts), the recording proxy in front of its collector (proxy.ts), optionally a site of pages
 * that name the proxy (site.ts), and Chromium.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import type { RunningDemo } from '../../collector/src/demo.ts';
import { startProxy, type Proxy } from './proxy.ts';
import { serveSite, type Site } from './site.ts';
import { launchBrowser, startStack, type Browser, type LaunchOptions } from './stack.ts';

export interface Env {
  stack: RunningDemo;
  proxy: Proxy;
  /** only with the `site` option */
  site: Site;
  browser: Browser;
}

export function useStack(options: Parameters<typeof startStack>[0] & LaunchOptions & { site?: () => Promise<string> } = {}): Env {
  const env = {} as Env;
  beforeAll(async () => {
    env.stack = await startStack(options);
    env.proxy = await startProxy(env.stack.collector.url);
    if (options.site) env.site = await serveSite(env.stack, env.proxy.url, await options.site());
    env.browser = await launchBrowser(options);
  });
  afterAll(async () => {
    await env.browser?.dispose();
    await env.site?.close();
    await env.proxy?.close();
    await env.stack?.close();
  });
  return env;
}

/**
 * Collects what the page throws, and what it logs as an error (a CSP refusal is one), but for the
 * browser's own request for /favicon.ico: the SDK must add neither.
 */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !m.location().url.endsWith('/favicon.ico') && errors.push(m.text()));
  return errors;
}

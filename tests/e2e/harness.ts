/**
 * What a browser test file needs, started before its tests and closed after them: the stack
 * (stack.ts), the recording proxy in front of its collector (proxy.ts), optionally a site of pages
 * that name the proxy (site.ts), and Chromium.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { WireEvent } from '@kizuna/protocol';
import { and, eq, inArray } from 'drizzle-orm';
import { events as eventsTable } from '../../collector/src/db/schema.ts';
import type { RunningDemo } from '../../collector/src/demo/index.ts';
import { startProxy, type Proxy } from './proxy.ts';
import { serveSite, type Site } from './site.ts';
import { eventually, launchBrowser, startStack, type Browser, type LaunchOptions } from './stack.ts';

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

/**
 * The events `pick` selects among those the collector took through the proxy, once `done` says
 * they have all come: each was accepted once (the collector would store a second copy's id once,
 * so only the proxy can tell), and each is stored.
 */
export async function deliveredOnce(env: Env, pick: (e: WireEvent) => boolean, done: (events: WireEvent[]) => boolean): Promise<WireEvent[]> {
  const events = await eventually(async () => {
    const picked = env.proxy.accepted().filter(pick);
    return done(picked) ? picked : undefined;
  });
  const ids = events.map((e) => e.id);
  expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  const stored = await env.stack.collector.db.sql
    .select({ id: eventsTable.id })
    .from(eventsTable)
    .where(and(eq(eventsTable.siteId, env.stack.siteId), inArray(eventsTable.id, ids)));
  expect(stored.map((r) => r.id).sort()).toEqual([...ids].sort());
  return events;
}

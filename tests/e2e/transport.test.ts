/**
 * Transport faults (issue #12), in a real Chromium: a fault-injecting proxy (proxy.ts) plays the
 * collector answering 503 with Retry-After for 20 s, resetting every connection for 10 s, and down
 * across a reload. Each fault has its own proxy and site (so its own storage), all three at once.
 * Every event must be stored exactly once by id; the copies sent per event are printed.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { events } from '../../collector/src/db/schema.ts';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { useStack } from './harness.ts';
import { startProxy, type Fault, type Proxy } from './proxy.ts';
import { serveSite } from './site.ts';
import { eventually } from './stack.ts';

const env = useStack();
const PAGES = fileURLToPath(new URL('../pages', import.meta.url));

const track = (page: Page, name: string) => page.evaluate((n) => (window as unknown as { kizuna(...a: unknown[]): void }).kizuna('track', n), name);
const flush = (page: Page) => page.evaluate(() => (window as unknown as { kizuna: { flush(): Promise<void> } }).kizuna.flush());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fault` on a page of its own site and proxy, tracking `name-1`, `name-2` … as it goes
 * (the `track` it is given tracks the next), then closes the page and checks the collector's rows: each
 * tracked event and each id the proxy saw stored exactly once. Returns the proxy for the figures.
 */
async function underFault(name: string, fault: (page: Page, track: () => Promise<void>, proxy: Proxy) => Promise<void>) {
  const proxy = await startProxy(env.stack.collector.url);
  const site = await serveSite(env.stack, proxy.url, PAGES);
  const page = await env.browser.newPage();
  let n = 0;
  const names: string[] = [];
  const next = async () => {
    names.push(`${name}-${++n}`);
    await track(page, names.at(-1)!);
  };
  try {
    await page.goto(`${site.url}/plain.html`, { waitUntil: 'load' });
    await fault(page, next, proxy);
    await page.close({ runBeforeUnload: true });
    const ids = () => [...proxy.copies().keys()];
    const { rows, seen } = await eventually(async () => {
      const seen = ids();
      const r = await env.stack.collector.db.sql
        .select({ id: events.id, type: events.type, name: sql<string | null>`${events.data}->>'name'` })
        .from(events)
        .where(and(eq(events.siteId, env.stack.siteId), inArray(events.id, seen)));
      // every tracked event, and every id the proxy saw: an event sent into the fault may go out again only in the
      // page's closing beacon, which the proxy records once the collector has answered it (so the first read
      // may run while it is still on its way)
      const stored = new Set(r.map((e) => e.id));
      return names.every((x) => r.some((e) => e.name === x)) && seen.every((id) => stored.has(id)) ? { rows: r, seen } : undefined;
    }, 30_000);
    expect(rows.filter((e) => e.type === 'custom').map((e) => e.name).sort()).toEqual([...names].sort());
    expect(new Set(rows.map((e) => e.id)).size).toBe(rows.length);
    expect(rows.map((e) => e.id).sort()).toEqual(seen.sort());
    // a copy the collector took is one too many: it stores the id once, but the SDK should know better
    const taken = new Map<string, number>();
    for (const { answer, batch } of proxy.sent) if (answer === 202) for (const e of batch.events) taken.set(e.id, (taken.get(e.id) ?? 0) + 1);
    expect([...taken.values()].filter((n) => n > 1)).toEqual([]);
    const copies = [...proxy.copies().values()];
    const answers = proxy.sent.reduce<Record<string, number>>((a, s) => ((a[s.answer] = (a[s.answer] ?? 0) + 1), a), {});
    console.log(
      `${name}: ${rows.length} events stored once each; requests ${proxy.sent.length} (${Object.entries(answers).map(([k, v]) => `${k}: ${v}`).join(', ')}); ` +
        `copies sent per event: mean ${(copies.reduce((a, b) => a + b, 0) / copies.length).toFixed(2)}, max ${Math.max(...copies)} (tries into the fault included); ` +
        `copies the collector accepted: 1 each`,
    );
    return proxy;
  } finally {
    if (!page.isClosed()) await page.close();
    await site.close();
    await proxy.close();
  }
}

/**
 * `fault` for `ms`, with an event every 2 s, then waits for the SDK's next try to get through
 * (its backoff decides when) and tracks one more event, which the page's closing beacon carries.
 */
const outage = async (proxy: Proxy, fault: Fault, ms: number, page: Page, track: () => Promise<void>) => {
  await track();
  await proxy.setFault(fault);
  await flush(page); // the page view and the first event go out now, into the fault
  for (let t = 0; t < ms; t += 2000) {
    await track();
    await sleep(2000);
  }
  await proxy.setFault(undefined);
  const ended = Date.now();
  await eventually(async () => proxy.sent.find((s) => s.at > ended && s.answer === 202), 20_000);
  await track();
};

it.concurrent('the collector answers 503 with Retry-After for 20 s: every event stored once', async () => {
  const proxy = await underFault('503', (page, track, proxy) => outage(proxy, { status: 503, retryAfter: 5 }, 20_000, page, track));
  // Retry-After honoured: no more than one try per 5 s while the collector asked for that
  const tries = proxy.sent.filter((s) => s.answer === 503).map((s) => s.at);
  for (let i = 1; i < tries.length; i++) expect(tries[i]! - tries[i - 1]!).toBeGreaterThanOrEqual(4900);
});

it.concurrent('the collector resets every connection for 10 s: every event stored once', async () => {
  await underFault('reset', (page, track, proxy) => outage(proxy, 'reset', 10_000, page, track));
});

it.concurrent('the collector is down across a reload: every event stored once', async () => {
  let reloaded = 0;
  const proxy = await underFault('down', async (page, track, proxy) => {
    await track();
    await flush(page); // delivered
    await proxy.setFault('down');
    await track();
    await flush(page); // fails: the SDK now knows the collector is failing
    await track();
    reloaded = Date.now();
    await page.reload({ waitUntil: 'load' }); // the page hides with events undelivered: kept in storage
    await track();
    await flush(page); // fails again, with the stored events
    await proxy.setFault(undefined);
    const up = Date.now();
    await eventually(async () => proxy.sent.find((s) => s.at > up && s.answer === 202), 20_000); // the SDK's next try
  });
  // the first page's events that the collector missed went out from the second page, not lost in a beacon
  const delivered = proxy.sent.find((s) => s.batch.events.some((e) => e.type === 'custom' && (e.data as { name: string }).name === 'down-2'))!;
  expect(delivered.at).toBeGreaterThan(reloaded);
});

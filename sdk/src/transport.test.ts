// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from './tracker';
import { hidePage, startTracker, stubNetwork, type Network } from './testing/setup';

let net: Network;
let tracker: Api | undefined;

beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
  history.replaceState(null, '', '/');
  net = stubNetwork();
});
afterEach(() => {
  tracker?.stop();
  tracker = undefined;
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const start = (o = {}) => (tracker = startTracker({ spa: 'off', ...o }));

describe('batching', () => {
  it('waits up to 5 s, then sends one batch', async () => {
    start();
    tracker!.track('a');
    await vi.advanceTimersByTimeAsync(4999);
    expect(net.batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(net.batches).toHaveLength(1);
    expect(net.events()).toHaveLength(2);
  });

  it('sends at once at 20 events', async () => {
    start();
    for (let i = 0; i < 18; i++) tracker!.track('e' + i);
    await vi.advanceTimersByTimeAsync(0);
    expect(net.batches).toHaveLength(0); // 19 with the page view
    tracker!.track('twentieth');
    await vi.advanceTimersByTimeAsync(0);
    expect(net.batches).toHaveLength(1);
    expect(net.batches[0]!.events).toHaveLength(20);
  });

  it('beacons at once when the page is hidden or left, falling back to fetch', async () => {
    start();
    tracker!.track('a');
    hidePage();
    expect(net.beacons).toHaveLength(1);
    tracker!.track('b');
    (navigator.sendBeacon as ReturnType<typeof vi.fn>).mockReturnValue(false);
    window.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(0);
    expect(net.fetches.flatMap((b) => b.events).map((e) => e.data)).toEqual([{ name: 'b' }]);
  });

  it('beacons even where sendBeacon is absent', async () => {
    start();
    Object.defineProperty(navigator, 'sendBeacon', { configurable: true, value: undefined });
    expect(() => hidePage()).not.toThrow();
    await vi.advanceTimersByTimeAsync(0);
    expect(net.fetches).toHaveLength(1);
  });

  it('keeps every body under 60 KB', async () => {
    start();
    const long = 'x'.repeat(400);
    for (let i = 0; i < 200; i++) tracker!.track('big', { a: long, b: long, c: long, d: long });
    hidePage();
    expect(net.beacons.length).toBeGreaterThan(1);
    for (const b of net.beacons) expect(JSON.stringify(b).length).toBeLessThanOrEqual(60_000);
    expect(net.beacons.flatMap((b) => b.events)).toHaveLength(201);
  });
});

describe('delivery', () => {
  it('retries with exponential backoff while the collector fails, then delivers once', async () => {
    start();
    net.status = 503;
    await tracker!.flush();
    expect(net.fetches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(900); // first retry comes after 1–2 s (jittered)
    expect(net.fetches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1200);
    expect(net.fetches).toHaveLength(2);
    net.status = 202;
    await vi.advanceTimersByTimeAsync(5000);
    expect(net.fetches).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(net.fetches).toHaveLength(3);
    expect(new Set(net.fetches.map((b) => b.events[0]!.id)).size).toBe(1);
  });

  it('drops a batch the collector refuses for good (400)', async () => {
    start();
    net.status = 400;
    await tracker!.flush();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(net.fetches).toHaveLength(1);
  });

  it('survives a collector outage and a closed tab: the next page load sends the queue', async () => {
    start();
    net.status = 'offline';
    tracker!.track('while-offline');
    await tracker!.flush();
    window.dispatchEvent(new Event('pagehide')); // the tab closes
    tracker!.stop();
    const sent = new Set(net.beacons.flatMap((b) => b.events.map((e) => e.id)));

    net.status = 202;
    start(); // next page load
    await tracker!.flush();
    const delivered = net.fetches.flatMap((b) => b.events);
    expect(delivered.filter((e) => sent.has(e.id)).map((e) => e.type)).toEqual(['pageview', 'custom']);
    // acknowledged: the queue is empty now
    expect(JSON.parse(localStorage.getItem('kizuna_q_shop.example')!)).toEqual([]);
  });

  it('bounds the offline queue', async () => {
    start();
    net.status = 'offline';
    for (let i = 0; i < 1200; i++) tracker!.track('e' + i);
    hidePage();
    expect(JSON.parse(localStorage.getItem('kizuna_q_shop.example')!).length).toBeLessThanOrEqual(500);
  });

  it('keeps working when storage throws', async () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    start();
    tracker!.track('x');
    expect(() => hidePage()).not.toThrow();
    expect(net.beacons).toHaveLength(1);
  });
});

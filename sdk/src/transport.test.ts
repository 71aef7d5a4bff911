// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { hidePage, trackerTests } from './testing/setup';

const t = trackerTests({ spa: 'off' });

describe('batching', () => {
  it('waits up to 5 s, then sends one batch', async () => {
    t.start();
    t.tracker!.track('a');
    await vi.advanceTimersByTimeAsync(4999);
    expect(t.net.batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.net.batches).toHaveLength(1);
    expect(t.net.events()).toHaveLength(2);
  });

  it('sends at once at 20 events', async () => {
    t.start();
    for (let i = 0; i < 18; i++) t.tracker!.track('e' + i);
    await vi.advanceTimersByTimeAsync(0);
    expect(t.net.batches).toHaveLength(0); // 19 with the page view
    t.tracker!.track('twentieth');
    await vi.advanceTimersByTimeAsync(0);
    expect(t.net.batches).toHaveLength(1);
    expect(t.net.batches[0]!.events).toHaveLength(20);
  });

  it('beacons at once when the page is hidden or left, falling back to fetch', async () => {
    t.start();
    t.tracker!.track('a');
    hidePage();
    expect(t.net.beacons).toHaveLength(1);
    t.tracker!.track('b');
    (navigator.sendBeacon as ReturnType<typeof vi.fn>).mockReturnValue(false);
    window.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(0);
    expect(t.net.fetches.flatMap((b) => b.events).map((e) => e.data)).toEqual([{ name: 'b' }]);
  });

  it('beacons even where sendBeacon is absent', async () => {
    t.start();
    Object.defineProperty(navigator, 'sendBeacon', { configurable: true, value: undefined });
    expect(() => hidePage()).not.toThrow();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.net.fetches).toHaveLength(1);
  });

  it('keeps every body under 60 KB', async () => {
    t.start();
    const long = 'x'.repeat(400);
    for (let i = 0; i < 200; i++) t.tracker!.track('big', { a: long, b: long, c: long, d: long });
    hidePage();
    expect(t.net.beacons.length).toBeGreaterThan(1);
    for (const b of t.net.beacons) expect(JSON.stringify(b).length).toBeLessThanOrEqual(60_000);
    expect(t.net.beacons.flatMap((b) => b.events)).toHaveLength(201);
  });
});

describe('delivery', () => {
  it('retries with exponential backoff while the collector fails, then delivers once', async () => {
    t.start();
    t.net.status = 503;
    await t.tracker!.flush();
    expect(t.net.fetches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(900); // first retry comes after 1–2 s (jittered)
    expect(t.net.fetches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1200);
    expect(t.net.fetches).toHaveLength(2);
    t.net.status = 202;
    await vi.advanceTimersByTimeAsync(5000);
    expect(t.net.fetches).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.net.fetches).toHaveLength(3);
    expect(new Set(t.net.fetches.map((b) => b.events[0]!.id)).size).toBe(1);
  });

  it('drops a batch the collector refuses for good (400)', async () => {
    t.start();
    t.net.status = 400;
    await t.tracker!.flush();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(t.net.fetches).toHaveLength(1);
  });

  it('survives a collector outage and a closed tab: the next page load sends the queue', async () => {
    t.start();
    t.net.status = 'offline';
    t.tracker!.track('while-offline');
    await t.tracker!.flush();
    window.dispatchEvent(new Event('pagehide')); // the tab closes
    t.tracker!.stop();
    const sent = new Set(t.net.beacons.flatMap((b) => b.events.map((e) => e.id)));

    t.net.status = 202;
    t.start(); // next page load
    await t.tracker!.flush();
    const delivered = t.net.fetches.flatMap((b) => b.events);
    expect(delivered.filter((e) => sent.has(e.id)).map((e) => e.type)).toEqual(['pageview', 'custom']);
    // acknowledged: the queue is empty now
    expect(JSON.parse(localStorage.getItem('kizuna_q_shop.example')!)).toEqual([]);
  });

  it('bounds the offline queue', async () => {
    t.start();
    t.net.status = 'offline';
    for (let i = 0; i < 1200; i++) t.tracker!.track('e' + i);
    hidePage();
    expect(JSON.parse(localStorage.getItem('kizuna_q_shop.example')!).length).toBeLessThanOrEqual(500);
  });

  it('keeps working when storage throws', async () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    t.start();
    t.tracker!.track('x');
    expect(() => hidePage()).not.toThrow();
    expect(t.net.beacons).toHaveLength(1);
  });
});

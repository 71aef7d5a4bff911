// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { hidePage, trackerTests } from './testing/setup';

const t = trackerTests({ spa: 'off' });

describe('batching', () => {
  it('waits up to 5 s, then sends one batch', async () => {
    t.start();
    await vi.advanceTimersByTimeAsync(1000); // the page view is sent once the page has rendered
    t.tracker!.track('a');
    await vi.advanceTimersByTimeAsync(4999);
    expect(t.net.batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.net.batches).toHaveLength(1);
    expect(t.net.events()).toHaveLength(2);
  });

  it('sends at once at 20 events', async () => {
    t.start();
    await t.tracker!.flush(); // the page view
    for (let i = 0; i < 19; i++) t.tracker!.track('e' + i);
    await vi.advanceTimersByTimeAsync(0);
    expect(t.net.batches).toHaveLength(1);
    t.tracker!.track('twentieth');
    await vi.advanceTimersByTimeAsync(0);
    expect(t.net.batches).toHaveLength(2);
    expect(t.net.batches[1]!.events).toHaveLength(20);
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
    Object.defineProperty(navigator, 'sendBeacon', { configurable: true, value: undefined });
    t.start();
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

  it('says once in the console why the collector refuses the site (403), and sends nothing more (issue #15)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    t.start();
    t.net.status = 403;
    t.net.error = 'origin not allowed for site x: https://a.example (to allow it: kizuna site update x --add-origin https://a.example)';
    await t.tracker!.flush();
    for (let i = 0; i < 45; i++) t.tracker!.track('e' + i);
    await t.tracker!.flush();
    hidePage();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(t.net.batches).toHaveLength(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]!.join(' ')).toBe(`Kizuna: {"error":"${t.net.error}"}`);
    warn.mockRestore();
  });

  it('survives a collector outage and a closed tab: the next page load sends the queue', async () => {
    t.start();
    t.net.status = 'offline';
    t.tracker!.track('while-offline');
    await t.tracker!.flush();
    window.dispatchEvent(new Event('pagehide')); // the tab closes
    t.tracker!.stop();
    expect(t.net.beacons).toHaveLength(0); // the collector was failing: kept, not beaconed into the void
    const kept = new Set(JSON.parse(localStorage.getItem('kizuna_q_shop.example')!).map((e: { id: string }) => e.id));

    t.net.status = 202;
    t.start(); // next page load
    await t.tracker!.flush();
    const delivered = t.net.fetches.flatMap((b) => b.events).filter((e) => kept.has(e.id));
    expect(delivered.map((e) => e.type).sort()).toEqual(['custom', 'pageview']);
    // acknowledged: the queue is empty now
    expect(JSON.parse(localStorage.getItem('kizuna_q_shop.example')!)).toEqual([]);
  });

  it('sends each event once over short pages that leave by beacon (issue #12: 70 copies of 28 events)', async () => {
    for (let page = 0; page < 4; page++) {
      t.start();
      for (let i = 0; i < 6; i++) t.tracker!.track('e' + i); // with the page view: 7 events a page
      hidePage();
      window.dispatchEvent(new Event('pagehide'));
      t.tracker!.stop();
    }
    await vi.advanceTimersByTimeAsync(60_000);
    const ids = t.net.batches.flatMap((b) => b.events.map((e) => e.id));
    expect(ids).toHaveLength(28);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sends again the beaconed events the collector never got (it was down as the page left)', async () => {
    t.start();
    t.tracker!.track('left-in-a-beacon');
    t.net.loseBeacons = true;
    hidePage();
    window.dispatchEvent(new Event('pagehide'));
    t.tracker!.stop();
    t.net.loseBeacons = false;
    t.start(); // the next page asks about them, and sends those that never arrived
    await t.tracker!.flush();
    await t.tracker!.flush();
    const types = t.net.fetches.flatMap((b) => b.events.map((e) => e.type));
    expect(types.filter((type) => type == 'custom')).toHaveLength(1);
    expect(types.filter((type) => type == 'pageview')).toHaveLength(2);
    expect(t.net.fetches[0]!.confirm).toHaveLength(2);
    expect(t.net.fetches[1]!.confirm).toBeUndefined(); // answered: not asked again
    expect(new Set(t.net.events().map((e) => e.id)).size).toBe(t.net.events().length);
  });

  it('does not beacon what a request still carries', async () => {
    t.start();
    t.net.status = 'hang';
    t.tracker!.flush(); // the page view, in a request that has no answer yet
    await vi.advanceTimersByTimeAsync(0);
    t.tracker!.track('later');
    hidePage();
    expect(t.net.beacons.flatMap((b) => b.events).map((e) => e.type)).toEqual(['custom']);
  });

  it('settles flush() when a request never answers, and sends its events again', async () => {
    t.start();
    t.net.status = 'hang';
    let settled = false;
    t.tracker!.flush().then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    t.net.status = 202;
    await vi.advanceTimersByTimeAsync(2_000); // the first retry, after 1–2 s
    expect(t.net.fetches.map((b) => b.events[0]!.type)).toEqual(['pageview', 'pageview']);
  });

  it('keeps the fetch and sendBeacon it started with when the page replaces them', async () => {
    t.start();
    vi.stubGlobal('fetch', () => new Promise(() => {}));
    Object.defineProperty(navigator, 'sendBeacon', { configurable: true, value: () => false });
    t.tracker!.track('a');
    await t.tracker!.flush();
    t.tracker!.track('b');
    hidePage();
    expect(t.net.fetches.flatMap((b) => b.events.map((e) => e.type))).toEqual(['custom', 'pageview']);
    expect(t.net.beacons.flatMap((b) => b.events.map((e) => e.type))).toEqual(['custom']);
  });

  it('waits as long as Retry-After says before it tries again', async () => {
    t.start();
    t.net.status = 503;
    t.net.headers = { 'Retry-After': '30' };
    await t.tracker!.flush();
    t.net.status = 202;
    await vi.advanceTimersByTimeAsync(29_000);
    expect(t.net.fetches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(t.net.fetches).toHaveLength(2);
  });

  it("sends valid JSON on a page whose libraries put toJSON on the built-in prototypes (Prototype.js 1.6)", async () => {
    const protos = [Array.prototype, String.prototype, Number.prototype, Object.prototype] as unknown as { toJSON?: () => string }[];
    for (const p of protos) Object.defineProperty(p, 'toJSON', { configurable: true, writable: true, value: () => '"oops"' });
    try {
      t.start();
      t.tracker!.track('a', { s: 'x' });
      await t.tracker!.flush();
      t.net.status = 'offline';
      t.tracker!.track('b');
      await t.tracker!.flush();
      window.dispatchEvent(new Event('pagehide'));
    } finally {
      for (const p of protos) delete p.toJSON;
    }
    const stored = JSON.parse(localStorage.getItem('kizuna_q_shop.example')!);
    expect(stored.map((e: { data: object }) => e.data)).toEqual([{ name: 'b' }]); // not a string in a string
    expect(t.net.fetches[0]!.events.map((e) => e.data)).toEqual([{ name: 'a', props: { s: 'x' } }, expect.objectContaining({ nav: 'load' })]);
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

/**
 * Test helpers for the SDK in happy-dom: a stubbed network that records what the SDK sends
 * (happy-dom's sendBeacon would really fetch), and a tracker started from options.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import type { WireBatch } from '@kizuna/protocol';
import { toConfig, type Options } from '../config';
import { NAVIGATED, SCRUB, SIGNALS_CALLBACK, type HandoffWindow } from '../handoff';
import { pageViewed } from '../lib/page';
import { startCustomClicks } from '../signals/custom-clicks';
import { startEngagement } from '../signals/engagement';
import { startHistory } from '../signals/history';
import { scrubFull } from '../scrub-full';
import { createTracker, type Api } from '../tracker';

export interface Network {
  /** every body sent, parsed, in order */
  batches: WireBatch[];
  beacons: WireBatch[];
  fetches: WireBatch[];
  /** the status the fake collector answers fetches with (or 'offline' to reject, 'hang' to never answer) */
  status: number | 'offline' | 'hang';
  /** the headers of its answers */
  headers: Record<string, string>;
  /** the collector's error when it answers a 4xx or 5xx (as its JSON body `{"error": …}`) */
  error?: string;
  /** beacons the browser takes but that never reach the collector (it is down as the page leaves) */
  loseBeacons: boolean;
  events(): WireBatch['events'];
}

export function stubNetwork(): Network {
  const net: Network = {
    batches: [],
    beacons: [],
    fetches: [],
    status: 202,
    headers: {},
    loseBeacons: false,
    events: () => net.batches.flatMap((b) => b.events),
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init: RequestInit) => {
      if (net.status === 'offline') throw new TypeError('Failed to fetch');
      const body = JSON.parse(String(init.body));
      net.batches.push(body);
      net.fetches.push(body);
      if (net.status === 'hang') return new Promise<never>(() => {});
      // as the collector answers a batch that asks about beaconed ids: those it never got
      const got = new Set(net.events().map((e) => e.id));
      const missing = (body as WireBatch).confirm?.filter((id) => !got.has(id));
      const answer = net.status >= 400 && net.error ? { error: net.error } : missing ? { missing } : {};
      return new Response(JSON.stringify(answer), { status: net.status, headers: net.headers });
    }),
  );
  Object.defineProperty(navigator, 'sendBeacon', {
    configurable: true,
    value: vi.fn((_url: string, body: string) => {
      const parsed = JSON.parse(body);
      if (net.loseBeacons) return true;
      net.batches.push(parsed);
      net.beacons.push(parsed);
      return true;
    }),
  });
  return net;
}

/**
 * A tracker started from options, with the signals of `kizuna.signals.js` that the tracker's own
 * tests count on (the others have their own tests): SPA navigations without the Navigation API
 * (happy-dom has none), engaged time and `data-kizuna-event` clicks; and the full scrubbing that the
 * chunk hands over (scrub-full.ts; `fallback` leaves it out: the chunk never arrived).
 */
export const startTracker = (options: Partial<Options> = {}, fallback = false) => {
  const tracker = createTracker(toConfig({ site: 'shop.example', ...options }, 'https://c.example'));
  const w = window as HandoffWindow;
  if (fallback) delete w[SCRUB];
  else w[SCRUB] = scrubFull;
  w[SIGNALS_CALLBACK]?.([startHistory, startEngagement, startCustomClicks]);
  return tracker;
};

/** Hides the page the way a tab switch or close does. */
export function hidePage() {
  Object.defineProperty(document, 'visibilityState', { configurable: true, value: 'hidden' });
  document.dispatchEvent(new Event('visibilitychange', { bubbles: true })); // as browsers fire it
  Object.defineProperty(document, 'visibilityState', { configurable: true, value: 'visible' });
}

/**
 * Each test of a file gets fake timers, empty storage, the page at `/` and a stubbed network;
 * the tracker it starts with `start()` is stopped after it.
 */
export function trackerTests(defaults: Partial<Options> = {}) {
  const t = {
    net: undefined as unknown as Network,
    tracker: undefined as Api | undefined,
    start: (o: Partial<Options> = {}) => (t.tracker = startTracker({ ...defaults, ...o })),
  };
  beforeEach(() => {
    vi.useFakeTimers();
    localStorage.clear();
    history.replaceState(null, '', '/');
    t.net = stubNetwork();
  });
  afterEach(() => {
    t.tracker?.stop();
    t.tracker = undefined;
    // one tracker a page in a browser: the next test's page has heard of no view
    delete (window as HandoffWindow)[NAVIGATED];
    pageViewed('');
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
  return t;
}

/**
 * Batches events to the collector (CONTRACT §3).
 *
 * - Flushes at 20 events (in the next task) or after 5 s, and at once when the page is hidden or left (sendBeacon,
 *   falling back to fetch with keepalive). Each body stays under 60 KB.
 * - Retries with exponential backoff, or after the collector's `Retry-After`, on network errors, timeouts, 429 and
 *   5xx. Other 4xx are final: the same body would fail again. A 403 (unknown site, origin not allowed) ends the
 *   page's sending, with one console warning giving the collector's reason.
 * - Sends each event once unless it has a cause to doubt it arrived (issue #12: beaconed events were re-sent by
 *   every later page, 70 copies of 28 events over 4 short pages). An event in a request is not sent again until
 *   that request is answered. Nobody reads a beacon's answer: in persistent mode the events a page beaconed are
 *   kept, and the next page's first request names their ids (`confirm`); the collector answers which it never
 *   got (`missing`, a collector that was down as the page left) and only those are sent again.
 * - Events are scrubbed as they are serialized (`scrub`), to be sent or stored: by then `kizuna.signals.js`, which
 *   holds the full rules, has arrived (lib/scrub.ts).
 * - In persistent mode, events not yet delivered are kept in localStorage (bounded), so they survive a collector
 *   outage or a closed tab and go out with the next page load. When the collector is failing, the page's last
 *   events are stored rather than beaconed; a page that finds a stored queue starts as after one failure.
 */
import type { WireBatch, WireEvent } from '@kizuna/protocol';
import { json } from './lib/json';
import { load, remove, save } from './lib/storage';

const MAX_BATCH = 20;
const FLUSH_MS = 5000;
const MAX_BODY = 60_000;
/** events kept at most, in memory and in storage; the oldest go first */
const MAX_QUEUE = 500;
const MAX_BACKOFF_MS = 300_000;
/** a request unanswered by then counts as failed: `flush()` settles and the events are retried */
const TIMEOUT_MS = 10_000;

export interface Transport {
  add(e: WireEvent): void;
  /** sends what is queued; `unload` uses sendBeacon and persists what may not arrive */
  flush(unload?: boolean): Promise<void>;
  /** forgets everything queued, in memory and in storage (consent withdrawn) */
  clear(): void;
}

export function createTransport(
  endpoint: string,
  storageKey: string,
  envelope: () => Omit<WireBatch, 'events' | 'sentAt'>,
  /** what an event becomes as it is sent or stored: scrubbed (lib/scrub.ts) */
  scrub: (e: WireEvent) => WireEvent,
): Transport {
  const url = endpoint + '/api/v1/events';
  /** where beaconed events wait for the next page to confirm them */
  const kept = storageKey + 'b';
  // The page's fetch and sendBeacon as they are now: one it puts in their place later (a broken
  // polyfill, a mock, a wrapper that never settles) does not take the SDK's deliveries with it.
  const send = self.fetch;
  const nav = navigator;
  const beacon = nav.sendBeacon;
  let queue: WireEvent[] = [];
  /** beaconed by this page; and by earlier pages, their arrival still to be confirmed */
  let beaconed: WireEvent[] = [];
  let unconfirmed: WireEvent[] = [];
  /** in a request now: not sent again until it is answered */
  const inflight = new Set<WireEvent>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  /** the collector refused this site or origin (403): said once in the console, nothing more is sent */
  let refused: unknown;
  let sending: Promise<void> | undefined;
  /**
   * Adds the stored queue (what earlier pages could not deliver) ahead of this page's events, at
   * the first send rather than as the page loads (a first localStorage access costs the load about a
   * millisecond); one is there after a failure: go on as after one.
   */
  let restored = false;
  const restore = () => {
    const stored = restored ? 0 : load<WireEvent[]>(storageKey);
    if (!restored) unconfirmed = load<WireEvent[]>(kept) || [];
    restored = true;
    if (stored && stored.length) (queue = stored.concat(queue)), (failures ||= 1);
  };

  /** stores the queue (and what waits to be confirmed); whether the queue could be stored */
  const persist = () => (save(kept, unconfirmed.concat(beaconed).slice(-MAX_QUEUE).map(scrub)), save(storageKey, queue.slice(-MAX_QUEUE).map(scrub)));
  const schedule = (ms: number) => {
    if (!timer) timer = setTimeout(() => ((timer = undefined), flush()), ms);
  };
  const retry = (ms: number) => schedule(Math.min(MAX_BACKOFF_MS, ms || 1000 * 2 ** failures * (0.5 + Math.random() / 2)));
  const done = (events: WireEvent[]) => {
    queue = queue.filter((e) => !events.includes(e));
  };

  /** Splits events into bodies under MAX_BODY bytes (JSON length is close enough: we bound chars). */
  function bodies(events: WireEvent[]): [string, WireEvent[]][] {
    const out: [string, WireEvent[]][] = [];
    let chunk: WireEvent[] = [];
    // keys holding undefined are left out of the JSON
    const head = json({ ...envelope(), sentAt: Date.now(), confirm: unconfirmed[0] && unconfirmed.map((e) => e.id), events: [] }).slice(0, -2);
    // an array's JSON is its items' JSON joined by commas: sizes add up without re-serializing
    let parts: string[] = [];
    let size = head.length + 2;
    const close = () => chunk.length && out.push([head + parts.join() + ']}', chunk]);
    for (const e of events) {
      const body = json(scrub(e));
      if (chunk.length && size + 1 + body.length > MAX_BODY) close(), (chunk = []), (parts = []), (size = head.length + 2);
      // a single event over the limit can never be sent
      if (head.length + 2 + body.length <= MAX_BODY) chunk.push(e), parts.push(body), (size += body.length + (chunk.length > 1 ? 1 : 0));
    }
    close();
    return out;
  }

  /**
   * Posts one body: true when the collector took it or refused it for good, else the ms its
   * `Retry-After` asks to wait (0 when it does not say, or the request failed or timed out). The
   * collector must expose the header (`Access-Control-Expose-Headers`) for a page to read it.
   */
  async function post(body: string, events: WireEvent[]): Promise<true | number> {
    let timeout: ReturnType<typeof setTimeout> | undefined;
    const asked = unconfirmed;
    events.forEach((e) => inflight.add(e));
    try {
      const res = await Promise.race([
        // a string body goes as text/plain (a simple request: no CORS preflight), as a beacon's does
        send(url, { method: 'POST', body, keepalive: true }),
        new Promise<never>((_, reject) => (timeout = setTimeout(reject, TIMEOUT_MS))),
      ]);
      if (res.ok && asked[0] && unconfirmed == asked) {
        // the beaconed events that never arrived go again; the others are done with
        const missing: string[] = (await res.json()).missing || [];
        unconfirmed = [];
        queue = asked.filter((e) => missing.includes(e.id)).concat(queue);
      }
      // 403: the site is unknown or this origin is not among its origins (the collector's answer
      // names which, and how to fix it): the page's later events would be refused too (issue #15)
      if (res.status == 403 && !refused) (refused = queue = []), console.warn('Kizuna:', await res.text());
      if (res.status < 500 && res.status != 429) return done(events), true;
      // in seconds, as the collector says it (an HTTP date, which RFC 9110 also allows, reads as 0)
      return +res.headers.get('Retry-After')! * 1000 || 0;
    } catch {
      return 0; // offline, collector down, or no answer in time
    } finally {
      clearTimeout(timeout);
      events.forEach((e) => inflight.delete(e));
    }
  }

  function flush(unload?: boolean): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    restore();
    if (unload) {
      // While the collector fails, the events wait in storage for the next page rather than go
      // in a beacon nobody can check; without storage (cookieless mode) a beacon is their chance.
      // What a request carries now is left to it: a keepalive fetch outlives the page.
      if (!failures || !persist())
        for (const [body, events] of bodies(queue.filter((e) => !inflight.has(e)))) {
          let queued: unknown;
          try {
            queued = beacon.call(nav, url, body);
          } catch {
            /* absent or refused */
          }
          // the browser sends a beacon after the page is gone and nobody can read its answer:
          // once it took them, the events are done with
          if (queued) done(events), beaconed.push(...events);
          else post(body, events);
        }
      persist();
      return Promise.resolve();
    }
    if (sending) return sending.then(() => flush());
    const events = queue.filter((e) => !inflight.has(e)).slice(0, MAX_BATCH * 5);
    if (!events.length) return Promise.resolve();
    sending = (async () => {
      let wait = -1;
      for (const [body, es] of bodies(events)) {
        const result = await post(body, es);
        if (result !== true) wait = Math.max(wait, result);
      }
      failures = wait < 0 ? 0 : failures + 1;
      persist();
      sending = undefined;
      if (failures) retry(wait);
      else if (queue.length) schedule(0);
    })();
    return sending;
  }

  return {
    add(e) {
      if (refused) return;
      queue.push(e);
      if (queue.length > MAX_QUEUE) queue.shift();
      if (failures) return; // backing off: the retry timer sends it
      if (queue.length < MAX_BATCH) return schedule(FLUSH_MS);
      // a full batch goes out in a task of its own, not inside the page's event that queued it
      clearTimeout(timer);
      timer = undefined;
      schedule(0);
    },
    flush,
    clear() {
      queue = beaconed = unconfirmed = [];
      remove(storageKey);
      remove(kept);
    },
  };
}

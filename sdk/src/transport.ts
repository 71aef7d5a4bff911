/**
 * Batches events to the collector (CONTRACT §3).
 *
 * - Flushes at 20 events (in the next task) or after 5 s, and at once when the page is hidden or left (sendBeacon,
 *   falling back to fetch with keepalive). Each body stays under 60 KB.
 * - Retries with exponential backoff on network errors, 429 and 5xx. 400/403/413 are final: the
 *   same body would fail again.
 * - In persistent mode, events not yet acknowledged are kept in localStorage (bounded), so they
 *   survive a collector outage or a closed tab and go out with the next page load. A beacon's answer
 *   cannot be read, so beaconed events are kept too and sent again next time: the collector stores
 *   each event id once.
 */
import type { WireBatch, WireEvent } from '@kizuna/protocol';
import { load, save } from './lib/storage';

const MAX_BATCH = 20;
const FLUSH_MS = 5000;
const MAX_BODY = 60_000;
/** events kept at most, in memory and in storage; the oldest go first */
const MAX_QUEUE = 500;
const MAX_BACKOFF_MS = 300_000;

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
): Transport {
  const url = endpoint + '/api/v1/events';
  let queue: WireEvent[] = load<WireEvent[]>(storageKey) || [];
  /** beaconed this page's life: not sent again now, but kept in storage for the next page load */
  let beaconed: WireEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let sending: Promise<void> | undefined;

  const persist = () => save(storageKey, beaconed.concat(queue).slice(-MAX_QUEUE));
  const schedule = (ms: number) => {
    if (!timer) timer = setTimeout(() => ((timer = undefined), flush()), ms);
  };

  /** Splits events into bodies under MAX_BODY bytes (JSON length is close enough: we bound chars). */
  function bodies(events: WireEvent[]): [string, WireEvent[]][] {
    const out: [string, WireEvent[]][] = [];
    let chunk: WireEvent[] = [];
    const head = JSON.stringify({ ...envelope(), sentAt: Date.now(), events: [] }).slice(0, -2);
    // an array's JSON is its items' JSON joined by commas: sizes add up without re-serializing
    let parts: string[] = [];
    let size = head.length + 2;
    const close = () => chunk.length && out.push([head + parts.join() + ']}', chunk]);
    for (const e of events) {
      const json = JSON.stringify(e);
      if (chunk.length && size + 1 + json.length > MAX_BODY) close(), (chunk = []), (parts = []), (size = head.length + 2);
      // a single event over the limit can never be sent
      if (head.length + 2 + json.length <= MAX_BODY) chunk.push(e), parts.push(json), (size += json.length + (chunk.length > 1 ? 1 : 0));
    }
    close();
    return out;
  }

  const acknowledge = (sent: WireEvent[]) => {
    queue = queue.filter((e) => !sent.includes(e));
  };

  async function post(body: string, events: WireEvent[]): Promise<boolean> {
    try {
      const res = await fetch(url, { method: 'POST', body, keepalive: true, headers: { 'Content-Type': 'text/plain' } });
      if (res.ok || (res.status >= 400 && res.status < 500 && res.status !== 429)) return acknowledge(events), true;
    } catch {
      /* offline or collector down: retried below */
    }
    return false;
  }

  function flush(unload?: boolean): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    if (unload) {
      for (const [body] of bodies(queue)) {
        let queued = false;
        try {
          queued = navigator.sendBeacon(url, body);
        } catch {
          /* absent or refused */
        }
        if (!queued) fetch(url, { method: 'POST', body, keepalive: true, headers: { 'Content-Type': 'text/plain' } }).catch(() => {});
      }
      beaconed = beaconed.concat(queue).slice(-MAX_QUEUE);
      queue = [];
      persist();
      return Promise.resolve();
    }
    if (sending) return sending.then(() => flush());
    const events = queue.slice(0, MAX_BATCH * 5);
    if (!events.length) return Promise.resolve();
    sending = (async () => {
      let ok = true;
      for (const [body, es] of bodies(events)) ok = (await post(body, es)) && ok;
      failures = ok ? 0 : failures + 1;
      persist();
      sending = undefined;
      if (!ok) schedule(Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures) * (0.5 + Math.random() / 2));
      else if (queue.length) schedule(0);
    })();
    return sending;
  }

  return {
    add(e) {
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
      queue = beaconed = [];
      persist();
    },
  };
}

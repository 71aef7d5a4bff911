/** Builds wire batches for collector tests, as the SDK would send them. */
import { randomUUID } from 'node:crypto';
import type { WireBatch, WireEvent } from '@kizuna/protocol';

type EventInit = Partial<Omit<WireEvent, 'type' | 'data'>> & { type?: WireEvent['type']; data?: Record<string, unknown> };

export function event(init: EventInit = {}): WireEvent {
  return {
    id: randomUUID(),
    type: 'pageview',
    ts: Date.now(),
    url: 'https://shop.example/',
    referrer: null,
    title: 'Home',
    data: {},
    ...init,
  } as WireEvent;
}

export function batch(site: string, events: WireEvent[], init: Partial<WireBatch> = {}): WireBatch {
  return { site, visitor: 'v-' + randomUUID().slice(0, 8), session: 's1', sentAt: Date.now(), events, ...init };
}

export const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** The request the SDK's sendBeacon makes: a text/plain POST with the page's origin, from a browser. */
export const beaconInit = (body: unknown, origin?: string, userAgent = CHROME_UA): RequestInit => ({
  method: 'POST',
  body: typeof body === 'string' ? body : JSON.stringify(body),
  headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': userAgent, ...(origin ? { origin } : {}) },
});

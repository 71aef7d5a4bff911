/**
 * Navigation timing of the document load, sent once (`timing`).
 */
import type { Signal } from '../types';
import { on } from '../lib/on';
import { safe } from '../lib/safe';

/**
 * Runs `fn` once, a tick after the `load` event (at once when the page has loaded), so that it
 * neither delays the load nor misses `loadEventEnd`, which is set only when every load listener has
 * returned. Returns a canceller.
 */
export const afterLoad = (fn: () => void) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const go = () => {
    timer = setTimeout(safe(fn));
  };
  const off = on(window, 'load', go);
  if (document.readyState == 'complete') go();
  return () => {
    off();
    clearTimeout(timer);
  };
};

/**
 * Sends the page load's Navigation Timing Level 2 figures, in ms from the navigation start: DNS
 * lookup, connection, time to first byte, DOM interactive, load end, and the HTTP status
 * (`responseStatus`, where the browser has it; DEFINITIONS: not_found uses it too).
 * https://www.w3.org/TR/navigation-timing-2/ — no-op where the API is missing.
 */
export const startTiming: Signal = (emit) =>
  afterLoad(() => {
    const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const r = Math.round;
    // the whole callback runs in `safe`: an engine without Intl loses this event, never the page
    if (n)
      emit('timing', {
        dns: r(n.domainLookupEnd - n.domainLookupStart),
        connect: r(n.connectEnd - n.connectStart),
        ttfb: r(n.responseStart),
        domInteractive: r(n.domInteractive),
        load: r(n.loadEventEnd),
        status: n.responseStatus,
        tz: timeZone(),
      });
  });

/**
 * The browser's IANA time zone. `Temporal.Now.timeZoneId()` reads it at no cost; the first
 * `Intl.DateTimeFormat()` of a page loads ICU's date formats, 15–60 ms of main thread in Chromium,
 * which is why the time zone travels here, after load, and not with the page view.
 */
const timeZone = () =>
  (self as { Temporal?: { Now: { timeZoneId(): string } } }).Temporal?.Now.timeZoneId() ||
  Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Navigation timing of the document load (`timing`), sent once by `kizuna.vitals.js`
 * (vitals-chunk.ts) as it runs: it is loaded a tick after the load event, when `loadEventEnd` is
 * set, and holds the page load's other figures, the Web Vitals.
 */
import type { EventData } from '@kizuna/protocol';

/**
 * The page load's Navigation Timing Level 2 figures, in ms from the navigation start: DNS lookup,
 * connection, time to first byte, DOM interactive, load end, and the HTTP status
 * (`responseStatus`, where the browser has it; DEFINITIONS: not_found uses it too), with the time
 * zone. https://www.w3.org/TR/navigation-timing-2/ — undefined where the API is missing.
 */
export const navigationTiming = (): EventData<'timing'> | undefined => {
  const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  const r = Math.round;
  return (
    n && {
      dns: r(n.domainLookupEnd - n.domainLookupStart),
      connect: r(n.connectEnd - n.connectStart),
      ttfb: r(n.responseStart),
      domInteractive: r(n.domInteractive),
      load: r(n.loadEventEnd),
      status: n.responseStatus,
      // read as the event is sent or stored (a getter: the JSON writer reads it then), not while the
      // page loads: see timeZone
      get tz() {
        return timeZone();
      },
    }
  );
};

/**
 * The browser's IANA time zone. A page's first `Temporal.Now.timeZoneId()` costs about 0.8 ms of
 * main thread in Chromium, its first `Intl.DateTimeFormat()` 15–60 ms (ICU's date formats;
 * bench/README.md): which is why the time zone goes with the `timing` event, read as it is sent,
 * and not with the page view.
 */
const timeZone = () =>
  (self as { Temporal?: { Now: { timeZoneId(): string } } }).Temporal?.Now.timeZoneId() ||
  Intl.DateTimeFormat().resolvedOptions().timeZone;

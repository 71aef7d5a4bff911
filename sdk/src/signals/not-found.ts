/**
 * Not-found pages (DEFINITIONS "Navigation friction"): a page view whose document answered 404
 * (Navigation Timing `responseStatus`), or a page marked `<meta name="kizuna:status" content="404">`.
 */
import type { Signal } from '../types';
import { onPageView } from '../lib/page';

/**
 * Emits `friction` `not_found` at once when the document's response was a 404, else 500 ms after
 * any page view when the page then carries the meta tag: routers (and client-rendered first pages)
 * render the page after the URL changes.
 */
export const startNotFound: Signal = (emit) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const notFound = () => emit('friction', { kind: 'not_found' });
  const check = () => {
    clearTimeout(timer);
    timer = setTimeout(() => document.querySelector('meta[name="kizuna:status"][content="404"]') && notFound(), 500);
  };
  // responseStatus (Chromium, Firefox) describes the document's own response: the first view only.
  // Known at once, so a visitor who leaves a 404 page right away is still counted.
  ((performance.getEntriesByType('navigation')[0] || {}) as PerformanceNavigationTiming).responseStatus == 404 ? notFound() : check();
  const off = onPageView(() => check());
  return () => {
    off();
    clearTimeout(timer);
  };
};

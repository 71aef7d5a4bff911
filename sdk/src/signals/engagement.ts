/**
 * Engaged time and scroll depth per page view, sent as a `pageleave` when the page is hidden or an
 * SPA navigation replaces it.
 */
import type { Signal } from '../types';
import { on } from '../lib/on';
import { onPageView } from '../lib/page';

/** Engaged time pauses after 5 minutes without input [GA4 engagement time]. */
const IDLE_MS = 5 * 60 * 1000;

/**
 * Engaged time: time the page is visible and focused, paused after 5 minutes with no input
 * (pointer, key, scroll, touch, wheel); scroll depth: the largest share of the page height that was
 * inside the viewport (DEFINITIONS: engaged time, scroll depth).
 *
 * Each `pageleave` carries the engaged ms since the previous `pageleave` of the same page view (a
 * page hidden and shown again sends only the increment), and the scroll depth so far. No timers:
 * every input or visibility/focus change adds the time since the previous one, capped at the idle
 * limit, so the idle pause falls out of the arithmetic.
 */
export const startEngagement: Signal = (emit) => {
  let url = location.href;
  let engaged = 0;
  let scroll = 0;
  /** when the current counted stretch began; 0 while hidden or blurred */
  let since = 0;

  /**
   * Adds the stretch since the last call; returns whether the page is now hidden (left). The depth
   * is read on scrolls and visibility changes, and after an input at the next frame: reading
   * `scrollHeight` forces a layout, which an input (a click, a key) has just invalidated and the
   * frame lays out anyway. An input still measures the page it happened on: routers that change
   * the URL only after rendering the next page would otherwise have the next page's height read
   * for this one at the page view.
   */
  const sync = (e?: Event) => {
    const now = Date.now();
    const type = e?.type;
    const hidden = type == 'pagehide' || document.visibilityState == 'hidden';
    if (since) engaged += Math.min(now - since, IDLE_MS);
    // an iframe holding focus still counts: document.hasFocus() is true then, unlike window blur
    since = !hidden && document.hasFocus() ? now : 0;
    if (type == 'pointerdown' || type == 'keydown' || type == 'touchstart') {
      if (!frame)
        try {
          frame = requestAnimationFrame(() => ((frame = 0), measure()));
        } catch {
          measure();
        }
    } else if (type != 'wheel' && type != 'focus' && type != 'blur') measure();
    return hidden;
  };
  let frame = 0;
  // rounded; `| 0` also turns a 0 / 0 (no layout) into 0
  const measure = () =>
    (scroll = Math.max(scroll, Math.min(100, ((scrollY + innerHeight) * 100) / document.documentElement.scrollHeight + 0.5) | 0));
  const leave = () => {
    if (engaged) emit('pageleave', { engaged, scroll }, { url });
    engaged = 0;
  };

  sync();
  // On window, capturing: element scrolls and document events (visibilitychange) pass through it,
  // and this runs before the tracker's flush on hide, which listens on document.
  const stops = ['pointerdown', 'keydown', 'scroll', 'touchstart', 'wheel', 'focus', 'blur', 'pagehide', 'visibilitychange'].map(
    (type) => on(window, type, (e) => sync(e) && leave()),
  );
  stops.push(
    onPageView((next) => {
      sync();
      leave();
      url = next;
      scroll = 0;
    }),
  );
  return () => {
    cancelAnimationFrame(frame);
    stops.forEach((stop) => stop());
  };
};

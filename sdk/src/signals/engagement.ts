/**
 * Engaged time and scroll depth per page view, sent as a `pageleave` when the page is hidden or an
 * SPA navigation replaces it.
 */
import type { Signal } from '../types';
import { listen } from '../lib/listen';
import { on } from '../lib/on';
import { lastView, onPageView } from '../lib/page';

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
  /**
   * the page view measured: none until the first is sent, which gets the time since the start (this
   * runs in `kizuna.signals.js`, which may come after it)
   */
  let url = lastView();
  let engaged = 0;
  let scroll = 0;
  /** when the current counted stretch began; 0 while hidden or blurred */
  let since = 0;

  /** Adds the stretch since the last call, capped at the idle limit, and starts the next one if `counts`. */
  const tick = (counts: unknown) => {
    const now = Date.now();
    if (since) engaged += Math.min(now - since, IDLE_MS);
    since = counts ? now : 0;
  };
  /**
   * whether the page is visible and focused, as of the last focus or visibility change: inputs
   * count by it and ask the DOM nothing (an event a script makes in a hidden tab counts nothing)
   */
  let active: unknown;
  /**
   * At a focus or visibility change (or a page view): adds the stretch since the last call and
   * asks whether the next one counts; returns whether the page is now hidden (left). The depth is
   * read on scrolls and when the page is hidden or left, never on inputs: reading `scrollHeight`
   * forces a layout, which an input (a click, a key) has just invalidated (≈ 40 µs a click in
   * bench/sdk.ts), and inputs scroll nothing themselves. Nor at start, inside the script's
   * evaluation, where it would force the page's first layout: the first page view measures it.
   */
  const sync = (e?: Event) => {
    const type = e?.type;
    const hidden = type == 'pagehide' || document.visibilityState == 'hidden';
    // an iframe holding focus still counts: document.hasFocus() is true then, unlike window blur
    tick((active = !hidden && document.hasFocus()));
    if (type == 'pagehide' || type == 'visibilitychange') measure();
    return hidden;
  };
  // rounded; `| 0` also turns a 0 / 0 (no layout) into 0
  const measure = () =>
    (scroll = Math.max(scroll, Math.min(100, ((scrollY + innerHeight) * 100) / document.documentElement.scrollHeight + 0.5) | 0));
  const leave = () => {
    if (engaged && url) emit('pageleave', { engaged, scroll }, { url });
    if (url) engaged = 0;
  };

  sync();
  if (url) measure(); // the first view was sent before this started
  // On window, capturing: element scrolls and document events (visibilitychange) pass through it,
  // and this runs before the tracker's flush on hide, which listens on document.
  const stops = ['focus', 'blur', 'pagehide', 'visibilitychange'].map((type) => on(window, type, (e) => sync(e) && leave()));
  for (const type of ['pointerdown', 'keydown', 'touchstart', 'wheel']) stops.push(listen(type, () => tick(active)));
  stops.push(
    listen('scroll', () => {
      tick(active);
      measure();
    }),
    // The tracker sends a page view once its route has rendered (pageviews.ts): the share seen
    // before any scroll is the new page's.
    onPageView((next) => {
      sync();
      leave();
      url = next;
      scroll = 0;
      measure();
    }),
  );
  return () => stops.forEach((stop) => stop());
};

/**
 * SPA navigations, told to the page views (pageviews.ts, in the first-load script): through the
 * Navigation API where the browser has it (`currententrychange`: every push, replace, traversal and
 * fragment change, however the page made it: a `pushState` reference kept before the SDK loaded, or
 * a router's own), else `pushState` and `replaceState` wrapped where they live, plus `popstate`
 * (which fragment changes fire too). In `kizuna.signals.js`: a router navigates on the visitor's
 * input, after the chunk has arrived.
 */
import type { Signal } from '../types';
import { NAVIGATED, type HandoffWindow } from '../handoff';
import { on } from '../lib/on';

/**
 * Tells the page views (through {@link NAVIGATED}, set by pageviews.ts when it needs this) of each
 * `pushState`, `replaceState` and `popstate`. The wrapper goes on the History prototype, so that a
 * library patching it later still runs (issue #12: an own property on `history` hid such patches),
 * or on `history` itself where a library put its own method before the SDK loaded. `stop()`
 * restores only what is still ours: a library may have wrapped our wrapper since.
 */
export const startHistory: Signal = () => {
  const navigated = (window as HandoffWindow)[NAVIGATED];
  if (!navigated) return () => {};
  const navigation = (self as { navigation?: EventTarget }).navigation;
  if (navigation)
    return on<Event & { navigationType?: string }>(navigation, 'currententrychange', (e) =>
      navigated(e.navigationType == 'traverse' ? 'pop' : e.navigationType == 'push' ? 'push' : 'replace'),
    );
  const stops = [on(window, 'popstate', () => navigated('pop'))];
  for (const method of ['pushState', 'replaceState'] as const) {
    const target: History = history.hasOwnProperty(method) ? history : History.prototype;
    const original = target[method];
    const wrapped: History['pushState'] = function (this: History, ...args) {
      const result = original.apply(this, args);
      try {
        navigated(method.slice(0, -5) as 'push' | 'replace'); // pushState → push, replaceState → replace
      } catch {
        /* never break the router */
      }
      return result;
    };
    try {
      target[method] = wrapped;
      stops.push(() => target[method] == wrapped && (target[method] = original));
    } catch {
      /* a frozen History: popstate still works */
    }
  }
  return () => stops.forEach((stop) => stop());
};

/**
 * Page views, SPA navigations included (`data-spa`): the first load, then `pushState`,
 * `replaceState` and `popstate` in history mode, `hashchange` in hash mode. A navigation that does
 * not change the tracked URL (a replaceState of the same path, a hash change in history mode) is
 * not counted again.
 */
import type { Signal } from '../types';
import { on } from '../lib/on';

type Nav = 'load' | 'push' | 'replace' | 'pop' | 'hash';

export const startPageviews: Signal = (emit, config) => {
  let last = '';
  const key = () => (config.spa === 'hash' ? document.URL : document.URL.split('#')[0]!);
  const view = (nav: Nav) => {
    const url = key();
    if (url === last) return;
    const referrer = last || document.referrer || null;
    last = url;
    emit('pageview', { nav, ...context() }, { referrer });
  };
  view('load');
  if (config.spa === 'off') return () => {};

  const patched: [History, 'pushState' | 'replaceState', History['pushState']][] = [];
  if (config.spa === 'history') {
    for (const method of ['pushState', 'replaceState'] as const) {
      const original = history[method];
      const wrapped: History['pushState'] = function (this: History, ...args) {
        const result = original.apply(this, args);
        try {
          view(method === 'pushState' ? 'push' : 'replace');
        } catch {
          /* never break the router */
        }
        return result;
      };
      try {
        history[method] = wrapped;
        patched.push([history, method, original]);
      } catch {
        /* a frozen History: popstate still works */
      }
    }
  }
  const offs = [on(window, 'popstate', () => view('pop')), on(window, 'hashchange', () => view(config.spa === 'hash' ? 'hash' : 'pop'))];
  return () => {
    offs.forEach((off) => off());
    // restore only what is still ours: a router may have wrapped our wrapper since
    for (const [h, method, original] of patched) if (h[method] !== original) h[method] = original;
  };
};

/**
 * The page view's context: language and viewport. The time zone goes with the `timing` event, after
 * load: Chromium's first `Intl.DateTimeFormat().resolvedOptions()` costs 15–60 ms of main thread
 * (bench/sdk.ts), far beyond what a page view may cost.
 */
const context = () => ({ lang: navigator.language, vw: innerWidth, vh: innerHeight });

/**
 * The signals that do not fit the first-load budget (3.5 KB brotli) live in `kizuna.signals.js`,
 * requested as soon as the tracker starts (async: the page never waits) and started as it arrives.
 * Until then (usually a few ms) SPA navigations, friction, FAQ, share and error signals are not yet
 * listening. It also brings the full scrubbing rules (lib/scrub.ts), so no signal runs without them.
 */
import type { Signal } from '../types';
import { LIB, SIGNALS_CALLBACK, type HandoffWindow } from '../handoff';
import { loadChunk } from '../lib/chunk';
import { cut } from '../lib/cut';
import { on } from '../lib/on';
import { lastView, onPageView } from '../lib/page';
import { safe } from '../lib/safe';
import { lastOf, matches } from '../lib/url';

export const startLazySignals: Signal = (emit, config) => {
  const w = window as HandoffWindow;
  const stops: (() => void)[] = [];
  // every module that rollup.config.js `shared` lends the chunk, whole
  w[LIB] = { cut, on, lastView, onPageView, safe, lastOf, matches };
  w[SIGNALS_CALLBACK] = (signals) => signals.forEach((start) => stops.push(safe(start)(emit, config) || (() => {})));
  loadChunk(config, 'kizuna.signals.js');
  return () => {
    delete w[SIGNALS_CALLBACK];
    stops.splice(0).forEach((stop) => safe(stop)());
  };
};

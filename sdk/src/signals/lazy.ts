/**
 * The signals that do not fit the first-load budget (3.5 KB brotli) live in `kizuna.signals.js`,
 * requested as soon as the tracker starts (async: the page never waits) and started as it arrives.
 * Until then (usually a few ms) friction, FAQ, share and error signals are not yet listening.
 */
import type { Signal } from '../types';
import { loadChunk } from '../lib/chunk';
import { safe } from '../lib/safe';

/** The global through which `kizuna.signals.js` hands over its signals. */
export const SIGNALS_CALLBACK = '__kizunaSignals';
export type SignalsWindow = { [SIGNALS_CALLBACK]?: (signals: Signal[]) => void };

export const startLazySignals: Signal = (emit, config) => {
  const w = window as SignalsWindow;
  const stops: (() => void)[] = [];
  w[SIGNALS_CALLBACK] = (signals) => signals.forEach((start) => stops.push(safe(start)(emit, config) || (() => {})));
  loadChunk(config.endpoint, 'signals');
  return () => {
    delete w[SIGNALS_CALLBACK];
    stops.splice(0).forEach((stop) => safe(stop)());
  };
};

/**
 * Web Vitals (`vital` events). The web-vitals library lives in a second script, `kizuna.vitals.js`,
 * fetched after the load event so that the page never waits for it (the first-load script must
 * stay small); that script reports through {@link VITALS_CALLBACK}.
 */
import type { Signal } from '../types';
import { VITALS_CALLBACK, type HandoffWindow } from '../handoff';
import { loadChunk } from '../lib/chunk';
import { safe } from '../lib/safe';
import { afterLoad } from './timing';

/**
 * Sends LCP, INP, CLS, FCP and TTFB as measured by the `web-vitals` package, rated with its
 * thresholds, with the CSS selector of the element behind each (DEFINITIONS: page loads;
 * https://web.dev/articles/vitals). web-vitals reports most of them when the page is hidden, before
 * the tracker's flush: its listeners capture on window, the tracker's on document.
 */
export const startVitals: Signal = (emit, config) => {
  const w = window as HandoffWindow;
  w[VITALS_CALLBACK] = safe((data) => emit('vital', data));
  const cancel = afterLoad(() => loadChunk(config, 'vitals'));
  return () => {
    cancel();
    // a loaded chunk keeps its observers (web-vitals cannot stop them) but has no one to tell
    delete w[VITALS_CALLBACK];
  };
};

/**
 * Web Vitals (`vital` events) and the navigation timing (`timing`): the page load's figures. The
 * web-vitals library lives in a second script, `kizuna.vitals.js`, fetched after the load event so
 * that the page never waits for it (the first-load script must stay small); that script reports
 * through {@link METRICS_CALLBACK}.
 */
import type { Emit, Signal } from '../types';
import { METRICS_CALLBACK, type HandoffWindow } from '../handoff';
import { afterLoad } from '../lib/after-load';
import { loadChunk } from '../lib/chunk';
import { safe } from '../lib/safe';

/**
 * Sends LCP, INP, CLS, FCP and TTFB as measured by the `web-vitals` package, rated with its
 * thresholds, with the CSS selector of the element behind each (DEFINITIONS: page loads;
 * https://web.dev/articles/vitals), and the navigation timing once. web-vitals reports most of them
 * when the page is hidden, before the tracker's flush: its listeners capture on window, the
 * tracker's on document.
 */
export const startVitals: Signal = (emit, config) => {
  const w = window as HandoffWindow;
  w[METRICS_CALLBACK] = safe(emit) as Emit;
  const cancel = afterLoad(() => loadChunk(config, 'kizuna.vitals.js'));
  return () => {
    cancel();
    // a loaded chunk keeps its observers (web-vitals cannot stop them) but has no one to tell
    delete w[METRICS_CALLBACK];
  };
};

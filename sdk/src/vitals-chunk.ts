/**
 * `kizuna.vitals.js`, the page load's figures: web-vitals and the navigation timing, loaded by
 * `kizuna.signals.js` a tick after the load event (signals/vitals.ts). web-vitals reads the entries
 * the browser buffered before it arrived (`buffered: true` observers), so loading it late loses
 * nothing that counts; the navigation timing is complete by then.
 */
import type { Metric } from 'web-vitals';
import { onCLS } from 'web-vitals/attribution/onCLS.js';
import { onINP } from 'web-vitals/attribution/onINP.js';
import { onLCP } from 'web-vitals/attribution/onLCP.js';
// FCP and TTFB name no element: their standard builds share code with the others and save ~250 B
import { onFCP } from 'web-vitals/onFCP.js';
import { onTTFB } from 'web-vitals/onTTFB.js';
import { METRICS_CALLBACK, type HandoffWindow } from './handoff';
import { navigationTiming } from './signals/timing';

/** The attribution fields that name the element behind LCP, INP and CLS. */
type Targets = { target?: string; interactionTarget?: string; largestShiftTarget?: string };

const report = (m: Metric & { attribution?: Targets }) => {
  const a = m.attribution || {};
  // read at each report: stop() removes the callback and the chunk goes quiet
  (window as HandoffWindow)[METRICS_CALLBACK]?.('vital', {
    name: m.name,
    value: m.value,
    rating: m.rating,
    selector: a.target || a.interactionTarget || a.largestShiftTarget,
  });
};

/**
 * No selector names an element inside a `data-kizuna-ignore` region (CONTRACT §2): web-vitals asks
 * this first, and makes its own selector when it answers undefined.
 */
// (a text node, which a layout shift may name, is not looked at: it has no closest())
const generateTarget = (node: Node | null) => ((node as Element)?.closest?.('[data-kizuna-ignore]') ? '' : undefined);

try {
  for (const on of [onCLS, onFCP, onINP, onLCP, onTTFB]) on(report, { generateTarget });
} catch {
  /* an engine web-vitals cannot measure: no vitals, and no error in the page */
}
try {
  const timing = navigationTiming();
  if (timing) (window as HandoffWindow)[METRICS_CALLBACK]?.('timing', timing);
} catch {
  /* no Navigation Timing (or no Intl): no timing event, and no error in the page */
}

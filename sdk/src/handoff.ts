/**
 * How the SDK's three scripts find each other: globals named here, in a module with no side
 * effects, so that each script bundles only the names. Rename one when its shape changes: the
 * scripts are cached apart (stale-while-revalidate), and an older cached one keeps to its own.
 */
import type { WireEvent } from '@kizuna/protocol';
import type { Emit, Signal } from './types';

/** through which `kizuna.signals.js` hands its signals to the first-load script (signals/lazy.ts) */
export const SIGNALS_CALLBACK = '__kizunaSignals';
/**
 * through which `kizuna.vitals.js` hands the page load's figures to the tracker (signals/vitals.ts):
 * each Web Vital, and the navigation timing (was `__kizunaVitals`, which took vitals only)
 */
export const METRICS_CALLBACK = '__kizunaMetrics';
/**
 * through which the first-load script lends `kizuna.signals.js` the helpers
 * they use, instead of each bundling its own copy (rollup.config.js `shared`; about 550 B brotli of
 * the signals chunk). Was `__kizunaLib1`, which lent `scrubUrl`: an older cached chunk borrows
 * nothing from this script and does not start.
 */
export const LIB = '__kizunaLib2';
/** through which the page views hear of history changes from `kizuna.signals.js` (signals/history.ts) */
export const NAVIGATED = '__kizunaNavigated';

/** through which `kizuna.signals.js` hands the full scrubbing rules to the first-load script's transport (lib/scrub.ts) */
export const SCRUB = '__kizunaScrub1';

export type HandoffWindow = {
  [SCRUB]?: (e: WireEvent, keep: string[]) => WireEvent;
  [SIGNALS_CALLBACK]?: (signals: Signal[]) => void;
  [METRICS_CALLBACK]?: Emit;
  [LIB]?: Record<string, unknown>;
  [NAVIGATED]?: (nav: 'push' | 'replace' | 'pop') => void;
};

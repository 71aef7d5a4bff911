/**
 * The signals of the first-load script: only the loader of the rest, page views included, which
 * arrive with `kizuna.signals.js` (lazy.ts, signals-chunk.ts): the first view is sent ≥ 200 ms
 * after they start, when its route has rendered, so none is needed before.
 */
import type { Signal } from '../types';
import { startLazySignals } from './lazy';

export const signals: Signal[] = [startLazySignals];

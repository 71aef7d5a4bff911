/**
 * The signals of the first-load script, after the page views (pageviews.ts, which the tracker
 * starts first, so that later signals see the page they measure): only the loader of the rest,
 * which arrive with `kizuna.signals.js` (lazy.ts, signals-chunk.ts).
 */
import type { Signal } from '../types';
import { startLazySignals } from './lazy';

export const signals: Signal[] = [startLazySignals];

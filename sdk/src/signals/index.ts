/**
 * The signals of the first-load script, in order: the page view goes first, so that later signals
 * see the page they measure; engagement before the others, so that a page's `pageleave` is queued
 * before what the next page view triggers. The rest arrive with `kizuna.signals.js` (lazy.ts).
 */
import type { Signal } from '../types';
import { startCustomClicks } from './custom-clicks';
import { startEngagement } from './engagement';
import { startLazySignals } from './lazy';
import { startPageviews } from './pageviews';

export const signals: Signal[] = [startPageviews, startCustomClicks, startEngagement, startLazySignals];

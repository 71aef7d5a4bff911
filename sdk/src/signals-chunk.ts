/**
 * `kizuna.signals.js`: the signals loaded after the first-load script (signals/lazy.ts), in the
 * order they must start — support before FAQ and share (they share its click helpers), rage
 * clicks before dead clicks (a click in a rage burst is not also dead).
 */
import type { Signal } from './types';
import { SIGNALS_CALLBACK, type SignalsWindow } from './signals/lazy';
import { startDeadClick } from './signals/dead-click';
import { startErrorClick } from './signals/error-click';
import { startExcessiveScroll } from './signals/excessive-scroll';
import { startFaq } from './signals/faq';
import { startNotFound } from './signals/not-found';
import { startQuickBack } from './signals/quick-back';
import { startRageClick } from './signals/rage-click';
import { startShare } from './signals/share';
import { startSupport } from './signals/support';
import { startTiming } from './signals/timing';
import { startVitals } from './signals/vitals';

export const lazySignals: Signal[] = [
  startSupport,
  startFaq,
  startShare,
  startTiming,
  startVitals,
  startRageClick,
  startDeadClick,
  startQuickBack,
  startErrorClick,
  startNotFound,
  startExcessiveScroll,
];

(window as SignalsWindow)[SIGNALS_CALLBACK]?.(lazySignals);

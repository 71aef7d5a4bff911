/**
 * `kizuna.signals.js`: the signals loaded after the first-load script (signals/lazy.ts), in the
 * order they must start — support before FAQ and share (they share its click helpers), rage
 * clicks before dead clicks (a click in a rage burst is not also dead).
 */
import type { Signal } from './types';
import { SIGNALS_CALLBACK, type HandoffWindow } from './handoff';
import { startCustomClicks } from './signals/custom-clicks';
import { startEngagement } from './signals/engagement';
import { startHistory } from './signals/history';
import { startDeadClick } from './signals/dead-click';
import { startErrorClick } from './signals/error-click';
import { startExcessiveScroll } from './signals/excessive-scroll';
import { startFaq } from './signals/faq';
import { startNotFound } from './signals/not-found';
import { startQuickBack } from './signals/quick-back';
import { startRageClick } from './signals/rage-click';
import { startShare } from './signals/share';
import { startSupport } from './signals/support';
import { startVitals } from './signals/vitals';

export const lazySignals: Signal[] = [
  startHistory,
  startEngagement,
  startCustomClicks,
  startSupport,
  startFaq,
  startShare,
  startVitals,
  startRageClick,
  startDeadClick,
  startQuickBack,
  startErrorClick,
  startNotFound,
  startExcessiveScroll,
];

(window as HandoffWindow)[SIGNALS_CALLBACK]?.(lazySignals);

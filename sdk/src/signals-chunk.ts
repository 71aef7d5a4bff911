/**
 * `kizuna.signals.js`: the signals loaded after the first-load script (signals/lazy.ts), in the
 * order they must start — support before FAQ and share (they share its click helpers), rage
 * clicks before dead clicks (a click in a rage burst is not also dead).
 *
 * It also brings the full scrubbing rules (scrub-full.ts), handed to the first-load script's
 * transport before any signal starts: the signals send text (error messages, FAQ searches,
 * outbound links) that only these rules scrub. They were a chunk of their own (`kizuna.scrub.js`,
 * which then requested this one): one script fewer to fetch, compile and run while the page loads
 * (issue #12's load-time budget), and no second round trip before the signals listen.
 */
import type { Signal } from './types';
import { SCRUB, SIGNALS_CALLBACK, type HandoffWindow } from './handoff';
import { scrubFull } from './scrub-full';
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

const w = window as HandoffWindow;
w[SCRUB] = scrubFull;
w[SIGNALS_CALLBACK]?.(lazySignals);

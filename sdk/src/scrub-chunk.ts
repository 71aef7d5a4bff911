/**
 * `kizuna.scrub.js`: the full scrubbing rules (protocol/src/scrub.ts, scrub-full.ts), requested with
 * `kizuna.signals.js` as the tracker starts (signals/lazy.ts) and handed to its transport, which
 * scrubs each event with them as it sends or stores it (lib/scrub.ts). A chunk of their own: about
 * 850 B brotli, which neither the first-load script nor the signals chunk had room for.
 */
import { SCRUB, type HandoffWindow } from './handoff';
import { scrubFull } from './scrub-full';

(window as HandoffWindow)[SCRUB] = scrubFull;

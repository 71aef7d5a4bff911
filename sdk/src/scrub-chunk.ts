/**
 * `kizuna.scrub.js`: the full scrubbing rules (protocol/src/scrub.ts, scrub-full.ts), requested as
 * the tracker starts (signals/lazy.ts) and handed to its transport, which scrubs each event with them
 * as it sends or stores it (lib/scrub.ts). A chunk of their own: about 850 B brotli, which neither
 * the first-load script nor the signals chunk had room for.
 *
 * It then requests `kizuna.signals.js`, from beside itself and with its CSP nonce: the signals send
 * text (error messages, FAQ searches, outbound links) that only these rules scrub, so they never run
 * without them; the first-load script's fallback covers only its own events (lib/scrub.ts).
 */
import { SCRUB, type HandoffWindow } from './handoff';
import { scrubFull } from './scrub-full';

(window as HandoffWindow)[SCRUB] = scrubFull;
const self = document.currentScript as HTMLScriptElement | null;
if (self) {
  const next = document.createElement('script');
  next.nonce = self.nonce;
  next.src = self.src.replace(/scrub\.js$/, 'signals.js');
  document.head.append(next);
}

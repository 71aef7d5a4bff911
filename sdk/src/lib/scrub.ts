/**
 * Scrubbing in the SDK (issue #13; DEFINITIONS "Privacy: what is scrubbed"). The transport scrubs
 * each event as it serializes it, to send or to store (transport.ts `scrub`), not as it is recorded:
 * the full rules (protocol/src/scrub.ts: e-mails, tokens, JWTs, cards by Luhn, phone numbers; the
 * allow-list of query parameters; routes kept, anchors dropped) cost about 850 B brotli, which
 * the first-load script has no room for, so they arrive with the signals in `kizuna.signals.js`
 * (signals-chunk.ts, scrub-full.ts; handed over as handoff.ts `SCRUB` before any signal starts),
 * requested as the tracker starts and there long before the first batch goes (5 s, or the page hidden). Should it never arrive (blocked, offline), what is sent keeps only
 * what cannot hold a secret: {@link roughEvent}. The collector scrubs everything again with the full
 * rules (defence in depth).
 */
import type { WireEvent } from '@kizuna/protocol';
import { SCRUB, type HandoffWindow } from '../handoff';

/**
 * A URL without the full rules: up to its query or fragment, both dropped (a route too: a hash-mode
 * site's views then collapse to its page). Its path goes as it is: the collector scrubs it.
 */
export const roughUrl = (href: string) => href.split(/[?#]/)[0]!;

/**
 * An event scrubbed by the full rules if `kizuna.signals.js` brought them, else with {@link roughUrl}s,
 * no title and no NPS comment: the only text a visitor types that the first-load script sends (the
 * error messages and searches of `kizuna.signals.js` come only with a chunk of the same build: an
 * older one borrows nothing, handoff.ts `LIB`, and does not start).
 */
export const scrubbing =
  (keep: string[]) =>
  (e: WireEvent): WireEvent => {
    const full = (window as HandoffWindow)[SCRUB];
    return full ? full(e, keep) : { ...e, url: roughUrl(e.url), referrer: e.referrer && roughUrl(e.referrer), title: '', data: { ...e.data, comment: undefined } } as WireEvent;
  };

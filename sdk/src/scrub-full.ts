/**
 * The full scrubbing rules (protocol/src/scrub.ts), in `kizuna.signals.js`: handed to the first-load
 * script's transport, which scrubs each event with them as it sends or stores it (lib/scrub.ts), and
 * cuts its text to the protocol's lengths then: after scrubbing, as a cut could leave half a secret
 * that no longer has its shape (the signals send their text whole). A page's own URLs, outbound links and a same-origin referrer keep the query values
 * of the allow-list and the site's `data-keep-params`; another site's referrer keeps its query values
 * scrubbed by shape: a search engine's terms are there (`p=` for Yahoo! JAPAN, `q=` …), and which
 * parameter holds them only the collector's lists know — it keeps those and no others (DEFINITIONS
 * "Search terms and scrubbing"). A browser sends another site's referrer with a query only when that
 * site asks it to (the default policy cuts it to the origin).
 */
import type { WireEvent } from '@kizuna/protocol';
import { scrubEvent, scrubText, scrubUrl } from '@kizuna/protocol/scrub';
import { cut } from './lib/cut';
import { lastOf } from './lib/url';

/** the protocol's longest text per field (the event's title: 512) */
const LONGEST: Record<string, number> = { title: 300, message: 500, query: 200, article: 200, comment: 1000 };

/** the site's kept parameters, and its URLs scrubbed with them: most events carry the page's own URL, scrubbed once */
let cached: [string[], (href: string) => string] | undefined;

export const scrubFull = (e: WireEvent, keep: string[]): WireEvent => {
  if (!cached || cached[0] != keep) cached = [keep, lastOf((href) => scrubUrl(href, keep))];
  return scrubEvent(
    e,
    cached[1],
    (s, field) => cut(scrubText(s), LONGEST[field!] || 512),
    (href) => scrubUrl(href, href.indexOf(location.origin + '/') ? true : keep),
  );
};

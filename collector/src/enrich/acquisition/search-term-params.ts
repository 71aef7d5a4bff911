/**
 * Which query parameters of a referrer carry a search engine's terms, for ingest's scrubbing
 * (enrich/index.ts): not a rule module (build-data.ts RULE_MODULES), as it classifies nothing — it
 * decides what of a referrer is stored, which the rules then read.
 */
import { entryOfHost } from './hosts.ts';
import { hostOf, parseUrl } from './url.ts';

/**
 * The parameters the lists name for the referrer's search engine (`p` for Yahoo! JAPAN, `q` for
 * Google …; search-term.ts reads them), [] for any other referrer. Ingest keeps their values, scrubbed
 * by shape, when it scrubs a referrer: the session's search term is read from the referrer as
 * stored, at ingest and again by `kizuna reclassify`.
 */
export function searchTermParams(referrer: string): readonly string[] {
  const u = parseUrl(referrer);
  const entry = u && /^https?:$/.test(u.protocol) ? entryOfHost(hostOf(u), u.pathname) : undefined;
  return entry?.category === 'search' ? entry.params : [];
}

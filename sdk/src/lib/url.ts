/**
 * URL helpers: patterns of the site's URLs, and a cache of what is worked out from a URL (the
 * scrubbing itself is the protocol's, shared with the collector: @kizuna/protocol/scrub).
 *
 * The SDK reads the page's URL as `document.URL`, never `location.href`: the same string, but
 * Chromium's `location.href` getter costs 2–4 µs a read, ten times as much, and events and clicks
 * read it often.
 */

/**
 * Remembers `fn`'s last result for the same URL on the same page: most events carry the page's own
 * URL, which is then parsed once, not once per event. A throw is not remembered.
 */
export const lastOf = <T>(fn: (href: string, base: string) => T) => {
  let last: [string, string, T] | undefined;
  return (href: string): T => {
    const base = document.URL;
    return (last && last[0] === href && last[1] === base ? last : (last = [href, base, fn(href, base)]))[2];
  };
};

const parse = lastOf((href, base) => new URL(href, base));

const compiled: Record<string, RegExp> = {};
/** A pattern's regex, compiled once: matching runs on every event. */
const regexOf = (p: string) =>
  (compiled[p] ||= new RegExp('^' + p.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$'));

/** `*` wildcard patterns against a URL's path (or the whole URL when the pattern has a scheme). */
export function matches(patterns: string[], href: string): boolean {
  if (!patterns.length) return false;
  try {
    const u = parse(href);
    return patterns.some((p) => regexOf(p).test(p.includes('://') ? u.href : u.pathname));
  } catch {
    return false;
  }
}

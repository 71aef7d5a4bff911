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

/**
 * Whether `s` is `pattern`, each `*` standing for any run of characters (none included), every
 * other character for itself. By string search, not a RegExp built from the pattern: the first
 * regular expression a page runs costs its load about half a millisecond of main thread
 * (bench/README.md), and a page view matches the site's patterns as the page loads. Each part
 * is taken at its first place after the one before it: where any place fits, the first does.
 */
export function glob(pattern: string, s: string): boolean {
  const parts = pattern.split('*');
  const tail = parts.pop()!;
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const found = s.indexOf(parts[i]!, at);
    // the first part where the string starts, each later one after the one before it
    if (found < 0 || (!i && found)) return false;
    at = found + parts[i]!.length;
  }
  // the last part ends the string, after all the others
  return parts.length ? s.length - tail.length >= at && s.endsWith(tail) : s == tail;
}

/** `*` wildcard patterns against a URL's path (or the whole URL when the pattern has a scheme). */
export function matches(patterns: string[], href: string): boolean {
  if (!patterns.length) return false;
  try {
    const u = parse(href);
    return patterns.some((p) => glob(p, p.includes('://') ? u.href : u.pathname));
  } catch {
    return false;
  }
}

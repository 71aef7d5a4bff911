/**
 * URL helpers. Query parameters whose names look like secrets or personal data are removed from
 * every URL the SDK sends (issue #3, privacy).
 */
const SECRET_PARAM = /email|mail|token|password|pass|key|auth|session|phone|tel|name/i;

let last = ['', '', ''];

export function scrubUrl(href: string): string {
  // most events carry the page's URL: parsed once, not per event
  const base = location.href;
  if (last[0] === href && last[1] === base) return last[2]!;
  return (last = [href, base, scrub(href, base)])[2]!;
}

function scrub(href: string, base: string): string {
  try {
    const u = new URL(href, base);
    for (const k of [...u.searchParams.keys()]) if (SECRET_PARAM.test(k)) u.searchParams.delete(k);
    return u.href;
  } catch {
    return href.split('?')[0]!;
  }
}

/** `*` wildcard patterns against a URL's path (or the whole URL when the pattern has a scheme). */
const compiled: Record<string, RegExp> = {};
/** A pattern's regex, compiled once: matching runs on every event. */
const regexOf = (p: string) =>
  (compiled[p] ||= new RegExp('^' + p.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$'));

let parsed: [string, string, URL] | [] = [];

export function matches(patterns: string[], href: string): boolean {
  if (!patterns.length) return false;
  try {
    const base = location.href;
    // every event is matched against the exclusions: its URL is parsed once, not per event
    const u = (parsed[0] === href && parsed[1] === base ? parsed[2] : (parsed = [href, base, new URL(href, base)])[2])!;
    return patterns.some((p) => regexOf(p).test(p.includes('://') ? u.href : u.pathname));
  } catch {
    return false;
  }
}

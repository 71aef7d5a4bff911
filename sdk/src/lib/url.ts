/**
 * URL helpers. Query parameters whose names look like secrets or personal data are removed from
 * every URL the SDK sends (issue #3, privacy).
 */
const SECRET_PARAM = /email|mail|token|password|pass|key|auth|session|phone|tel|name/i;

export function scrubUrl(href: string): string {
  try {
    const u = new URL(href, location.href);
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

export function matches(patterns: string[], href: string): boolean {
  if (!patterns.length) return false;
  try {
    const u = new URL(href, location.href);
    return patterns.some((p) => regexOf(p).test(p.includes('://') ? u.href : u.pathname));
  } catch {
    return false;
  }
}

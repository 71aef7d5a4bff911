/** URL helpers of the classifier: hostile input parses to undefined, never throws. */

/** Longer URLs are padding or attacks; the parts we read (host, UTM tags, click ids) come first. */
export const MAX_URL_LENGTH = 4096;
const PORT = /:\d+$/;
const TRAILING_DOT = /\.$/;

export function parseUrl(url: string | null | undefined): URL | undefined {
  if (!url) return undefined;
  try {
    return new URL(url.length > MAX_URL_LENGTH ? url.slice(0, MAX_URL_LENGTH) : url);
  } catch {
    return undefined;
  }
}

export const stripWww = (host: string) => (host.startsWith('www.') ? host.slice(4) : host);

/** Lower-cased, without the trailing dot of a fully qualified name. */
export const hostOf = (u: URL | undefined) => (u ? u.hostname.toLowerCase().replace(TRAILING_DOT, '') : '');

/** Hash-routed SPAs carry their query after the route: `/#/faq?utm_source=x`. */
export function paramsOf(u: URL | undefined): URLSearchParams | undefined {
  if (!u) return undefined;
  const q = u.search ? -1 : u.hash.indexOf('?');
  return q < 0 ? u.searchParams : new URLSearchParams(u.hash.slice(q + 1));
}

/** A site host given as an origin or with a port still names the site; `www.` is the same site. */
const siteHost = (entry: string) => stripWww(entry.includes('/') ? hostOf(parseUrl(entry)) : entry.toLowerCase().replace(PORT, ''));

/** The host is the landing's own or one of the site's hosts, or a subdomain of one (DEFINITIONS: never a source). */
export function isSameSite(host: string, siteHosts: readonly string[], landingHost: string): boolean {
  const bare = stripWww(host);
  const matches = (site: string) =>
    site !== '' && (bare === site || (bare.endsWith(site) && bare[bare.length - site.length - 1] === '.'));
  return matches(stripWww(landingHost)) || siteHosts.some((s) => matches(siteHost(s)));
}

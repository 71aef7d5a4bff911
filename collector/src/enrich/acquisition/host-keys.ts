/**
 * The keys a referrer host is looked up under (DEFINITIONS, source categories): a host matches a list
 * entry exactly, as `www.` or `m.` of it, or through the lists' own `{}` wildcard — a country code
 * standing for the top-level domain (`google.{}`: google.de, google.co.jp, google.com.au) or for the
 * first label (`{}.search.yahoo.com`: de.search.yahoo.com). Never as any other subdomain: a portal's
 * other sites (news.yahoo.co.jp, blog.naver.com) are not its search engine.
 *
 * Matomo reads `{}` the same way (its "lossy URL": a two-letter code, optionally after com / org / net /
 * co / edu); we take any two-letter label as a country code, which IANA reserves them for.
 */

/** `.de`, `.co.jp`, `.com.au` at the end: a country domain, with the second level some countries use. */
const COUNTRY_SUFFIX = /\.(?:(?:com|org|net|co|edu|ne|or|ac|go)\.)?[a-z]{2}$/;
/** `de.` at the start: a country's edition of a site. */
const COUNTRY_PREFIX = /^[a-z]{2}\./;
const MOBILE_OR_WWW = /^(?:www|m)\./;

/**
 * The keys to try for `host` (lower-case, no port, no trailing dot), most specific first: the host and
 * the host without `www.` / `m.`, then the wildcard forms of each (lists write both `yandex.{}` and
 * `www.yandex.{}`). At most eight short strings.
 */
export function hostKeys(host: string): string[] {
  const bare = host.replace(MOBILE_OR_WWW, '');
  const exact = bare === host ? [host] : [host, bare];
  return [...exact, ...exact.flatMap(wildcardForms)];
}

/** `images.google.de` → images.google.{}; `de.search.yahoo.com` → {}.search.yahoo.com; both where both apply. */
function wildcardForms(host: string): string[] {
  const tld = host.replace(COUNTRY_SUFFIX, '.{}');
  const first = host.replace(COUNTRY_PREFIX, '{}.');
  const forms = tld === host ? [] : [tld];
  if (first !== host) forms.push(first, ...(tld === host ? [] : [first.replace(COUNTRY_SUFFIX, '.{}')]));
  return forms;
}

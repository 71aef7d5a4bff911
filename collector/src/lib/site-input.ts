/**
 * What an operator types about a site — its id, origins, time zone — checked without a database, so
 * that the CLI refuses bad input before it opens one (cli/spec.ts), and sites/ stores only what passed.
 */
import { invalid } from './errors.ts';

/**
 * One origin, as CORS compares it: `https://Example.com/path` → `https://example.com`. http and
 * https only (a `javascript:` URL has the origin `null`), one per value (a comma list is a typo that
 * parses as a host name).
 */
export function parseOrigin(origin: string): string {
  const url = URL.canParse(origin) ? new URL(origin) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || origin.includes(',') || /\s/.test(origin))
    throw invalid('origin', `expected one http:// or https:// origin such as https://www.example.com, got "${origin}"`);
  return url.origin;
}

/**
 * A site id is the `data-site` of the script tag and a path segment of the report API: 1 to 100 of
 * a–z, 0–9, `.` and `-`, starting and ending with a letter or digit — a host name, typically.
 */
export function checkSiteId(id: string): void {
  if (!/^[a-z0-9](?:[a-z0-9.-]{0,98}[a-z0-9])?$/.test(id))
    throw invalid('id', `a site id is 1 to 100 characters of a-z, 0-9, "." and "-" (a host name such as shop.example.com), got "${id.length > 40 ? `${id.slice(0, 40)}…` : id}"`);
}

export function checkTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw invalid('timezone', `unknown time zone "${tz}" (an IANA name such as Asia/Tokyo)`);
  }
}

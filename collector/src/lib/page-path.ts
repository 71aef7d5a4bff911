/**
 * Page grouping (DEFINITIONS: page loads): the path of a URL with the query string and fragment
 * dropped, and numeric or UUID-like segments folded to `:id`, so `/orders/123` and `/orders/456`
 * are one page in the reports. Hash-mode SPAs keep their route (`/#/faq/42` → `/#/faq/:id`). A
 * segment scrubbed away (`***`: an e-mail, a card or phone number, a token; protocol/src/scrub.ts)
 * is an id too: an e-mail in `/users/dave@…/profile` groups as `/users/:id/profile`.
 */
const ID_SEGMENT = /^(?:\*\*\*|\d+|[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}|[0-9a-f]{24,}|[0-9A-Za-z_-]*\d[0-9A-Za-z_-]*\d[0-9A-Za-z_-]{14,})$/i;

const fold = (path: string) =>
  path
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? ':id' : segment))
    .join('/') || '/';

export function pagePath(url: string): string {
  try {
    const u = new URL(url);
    const route = u.hash.startsWith('#/') ? '/#' + fold(u.hash.slice(1).split('?')[0]!) : '';
    return (route ? fold(u.pathname).replace(/\/$/, '') + route : fold(u.pathname)).slice(0, 512);
  } catch {
    return '/';
  }
}

/**
 * Scrubbing by shape, not by name (issue #13; DEFINITIONS "Privacy: what is scrubbed"): what a site
 * puts in a URL or a title, and what a page's errors say, loses everything shaped like a secret or
 * a person before it leaves the browser, and again as the collector takes it in (defence in depth:
 * an old cached script, a server-side sender, a bug). One module for both sides, so that the rules
 * cannot drift: the SDK bundles it into `kizuna.signals.js` and scrubs each event as it sends it
 * (sdk/src/lib/scrub.ts; every byte here counts against that chunk's budget), the collector runs
 * it in `enrich/`. Scrubbing twice gives what scrubbing once gave.
 *
 * Every pattern runs on at most {@link MAX} characters, and none can backtrack more than a bounded
 * number of steps per position (no nested or overlapping quantifiers): hostile input costs linear time.
 */

/**
 * What a secret becomes. Left as it is by the URL parser and `encodeURIComponent`, so that a
 * scrubbed URL parses and scrubs to itself; `pagePath` (collector) folds a segment of it to `:id`.
 */
export const REDACTED = '***';

/**
 * Query parameters whose values are kept (names are always kept, values of others become
 * {@link REDACTED}): the UTM tags, the click ids the collector's acquisition reads
 * (collector/src/enrich/acquisition/click-ids.ts; a test holds the two together), and `ref`
 * (a referral label), `page` and `lang` (pagination, language: no person in them).
 */
export const KEPT_PARAMS =
  /^(?:utm_\w+|gclid|gbraid|wbraid|dclid|msclkid|yclid|ttclid|twclid|li_fat_id|sccid|epik|rdt_cid|fbclid|ref|page|lang)$/i;

/** Longer input is cut to this first: no field of the protocol is longer than 2048 characters. */
const MAX = 8192;

/** A JSON Web Token: a base64url header starting `{"`, then one or two dot-separated parts. */
const JWT = /eyJ[\w-]{5,}(?:\.[\w-]*){1,2}/g;
/** An e-mail address, its `@` percent-encoded once or twice as URLs carry it (`%40`, `%2540`). */
const EMAIL = /[\w.%+-]{1,64}(?:@|%(?:25)?40)[a-z\d-]{1,63}(?:\.[a-z\d-]{1,63})+/gi;
/** A run of letters, digits, `_` and `-`: a token when one of its `_`/`-`-free parts is ≥ 16 long with a letter and a digit. */
const RUN = /[\w-]{16,}/g;
/** Digits with the separators of card and phone numbers, 8 to 19 digits. */
const NUMBER = /\+?\(?\d(?:[ .()-]{0,2}\d){7,18}/g;
/** A North American number: (212) 555-1234, 212-555-1234, 212.555.1234. */
const NANP = /^\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}$/;

const token = (run: string) =>
  run.split(/[_-]/).some((part) => part.length > 15 && /\d/.test(part) && /[a-z]/i.test(part)) ? REDACTED : run;

/** The Luhn checksum of a card number's digits. */
const luhn = (digits: string) => {
  let sum = 0;
  for (let i = digits.length, odd = 1; i--; odd ^= 1) {
    const d = +digits[i]! * (odd ? 1 : 2);
    sum += d > 9 ? d - 9 : d;
  }
  return sum % 10 == 0;
};

/**
 * A card number: 13–19 digits starting 2–6 (every card network's range; timestamps start 1) that
 * pass Luhn. A phone number: `+` and 8–15 digits; or 10–11 digits starting 0 (national numbers of
 * Japan, Europe …); or a North American one written with separators. A bare 10-digit number not
 * starting 0 (an order number, a timestamp in seconds) is neither.
 */
const number = (s: string) => {
  const digits = s.replace(/\D/g, '');
  const n = digits.length;
  const card = n > 12 && /^[2-6]/.test(digits) && luhn(digits);
  const phone = s[0] == '+' ? n < 16 : digits[0] == '0' ? n > 9 && n < 12 : NANP.test(s);
  return card || phone ? REDACTED : s;
};

/** Free text (a title, an error message, a search, a path) with e-mails, JWTs, tokens, card and phone numbers replaced. */
export const scrubText = (s: string): string =>
  s.slice(0, MAX).replace(JWT, REDACTED).replace(EMAIL, REDACTED).replace(RUN, token).replace(NUMBER, number);

const decode = (s: string) => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

/**
 * Which query values a URL keeps (scrubbed by shape): those of {@link KEPT_PARAMS} and of the names
 * listed, or (`true`) every value — for another site's referrer in the SDK, which does not know
 * which of its parameters carries a search engine's terms (DEFINITIONS "Search terms and scrubbing").
 */
export type Keep = readonly string[] | true;

/** A query string (with its `?`, or '') scrubbed: names kept unless secret-shaped, values per {@link KEPT_PARAMS} and `keep`. */
const scrubQuery = (query: string, keep: Keep) => {
  const out = query
    .slice(1)
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf('=');
      const name = decode(i < 0 ? pair : pair.slice(0, i));
      const raw = i < 0 ? '' : pair.slice(i);
      const value = decode(raw.slice(1));
      const clean = scrubText(value);
      // a kept value with a secret in it keeps the rest: `yclid=YSS.123.***` still says Yahoo! JAPAN
      const kept = keep === true || KEPT_PARAMS.test(name) || keep.includes(name);
      return (
        (scrubText(name) == name ? pair.slice(0, i < 0 ? pair.length : i) : REDACTED) +
        (!value ? raw : !kept ? '=' + REDACTED : clean == value ? raw : '=' + encodeURIComponent(clean))
      );
    })
    .join('&');
  return out && '?' + out;
};

/**
 * A URL as Kizuna keeps it: no user name or password; the path's secrets replaced; the query
 * scrubbed ({@link KEPT_PARAMS}, plus the site's `keep` list); the fragment dropped unless it is a
 * route (`#/…`, `#!/…`), whose own path and query are scrubbed the same way and whose anchor is
 * dropped. What does not parse as a URL is scrubbed as text without its query and fragment.
 */
export function scrubUrl(href: string, keep: Keep = [], base?: string): string {
  href = href.slice(0, MAX);
  try {
    const u = new URL(href, base);
    const route = /^#(!?\/[^?#]*)(\?[^#]*)?/.exec(u.hash);
    u.username = u.password = '';
    u.pathname = scrubText(u.pathname);
    u.search = scrubQuery(u.search, keep);
    u.hash = route ? scrubText(route[1]!) + scrubQuery(route[2] || '', keep) : '';
    return u.href;
  } catch {
    return scrubText(href.split(/[?#]/)[0]!);
  }
}

/** The fields of an event's `data` that hold a URL, and those that hold free text. */
const URL_FIELDS = /^(?:url|source)$/;
const TEXT_FIELDS = /^(?:title|message|query|article|comment)$/;

/**
 * An event with every place a URL, a title or typed text can reach scrubbed: its URL and its data's
 * URL fields with `url` (scrubUrl with the site's kept parameters; the SDK passes a cached one), its
 * referrer with `referrer` (which may keep more: a search engine's terms), its title and its data's
 * text fields with `text` ({@link scrubText}; the SDK also cuts them there, and its fallback empties
 * them), told the field's name (undefined for the event's title). Custom event props and
 * identify traits are what a site chose to send: left as they are.
 */
export function scrubEvent<E extends { url: string; referrer?: string | null; title?: string | null; data: object }>(
  e: E,
  url: (href: string) => string,
  text: (s: string, field?: string) => string,
  referrer = url,
): E {
  const data: Record<string, unknown> = { ...e.data };
  for (const k in data) {
    const v = data[k];
    if (typeof v == 'string') data[k] = URL_FIELDS.test(k) ? url(v) : TEXT_FIELDS.test(k) ? text(v, k) : v;
  }
  return { ...e, url: url(e.url), referrer: e.referrer && referrer(e.referrer), title: e.title && text(e.title), data };
}

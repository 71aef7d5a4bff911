/**
 * Acquisition (DEFINITIONS: acquisition and SNS): where a session came from, read off its landing
 * page. The rules are data — {@link ACQUISITION_RULES} — indexed once at load; the classifier is a
 * few lookups over those indexes, cheap enough for the ingest path.
 */

export type Channel =
  | 'Direct'
  | 'Organic Search'
  | 'Paid Search'
  | 'Organic Social'
  | 'Paid Social'
  | 'Email'
  | 'Referral'
  | 'Campaign';

export interface Source {
  /** canonical id for a known network or engine (`x`, `google`), else the utm_source or referrer host; '' when direct */
  source: string;
  /** utm_medium, else the medium the source implies: `organic`, `social`, `email`, `cpc` or `referral`; '' when direct */
  medium: string;
  /** utm_campaign, '' when untagged */
  campaign: string;
  channel: Channel;
  /** the social network the session came from (`x`, `facebook` …), null when not social */
  network: string | null;
  /** the landing was opened inside a social app's in-app browser */
  inApp: boolean;
  /** the click-id parameter on the landing (`gclid` …), not its value: that stays in the landing URL */
  clickId: string | null;
  /** the external referrer's host without `www.`, null when none or same-site */
  referrerHost: string | null;
}

export interface ClassifyInput {
  landingUrl: string;
  referrer: string | null;
  userAgent: string;
  /** the site's own hosts; a referrer on one of them or a subdomain is never a source */
  siteHosts: string[];
}

export type SourceKind = 'social' | 'search' | 'email';

export interface SourceRule {
  /** canonical source id; for social rules also the network id */
  id: string;
  kind: SourceKind;
  /**
   * Referrer hosts, subdomains included. `name.*` means that name under any country domain
   * (`google.de`, `google.co.jp`). Android apps send `android-app://<package>`: a package is a host here.
   */
  hosts: string[];
  /** utm_source values meaning this source, beside its id and hosts */
  aliases?: string[];
  /** user-agent marker of the network's in-app browser (no `g` flag: the regex is reused) */
  inApp?: RegExp;
}

export interface ClickIdRule {
  param: string;
  /** id of the {@link SourceRule} the click id belongs to */
  source: string;
  /** only ads carry it (DEFINITIONS lists gclid, msclkid and yclid as paid search) */
  paid: boolean;
}

export interface AcquisitionRules {
  /** First match wins for user-agent markers. */
  sources: SourceRule[];
  /** In priority order: the first one on the landing URL is the click id. */
  clickIds: ClickIdRule[];
  /** GA4 default channel group patterns, over lower-cased values. */
  paidMedium: RegExp;
  socialMediums: string[];
  organicMedium: string;
  email: RegExp;
  /** what `name.*` hosts accept after the name */
  countryDomain: RegExp;
}

/** Every acquisition rule of DEFINITIONS, as data. Extend here; the classifier needs no change. */
export const ACQUISITION_RULES: AcquisitionRules = {
  // An app whose user agent may also carry another app's marker comes first (Threads is built on
  // Instagram's stack, Instagram on Facebook's).
  sources: [
    { id: 'threads', kind: 'social', hosts: ['threads.net', 'threads.com'], inApp: /Barcelona/ },
    { id: 'instagram', kind: 'social', hosts: ['instagram.com', 'com.instagram.android'], aliases: ['ig'], inApp: /Instagram/ },
    { id: 'facebook', kind: 'social', hosts: ['facebook.com', 'fb.com', 'fb.me', 'com.facebook.katana'], aliases: ['fb'], inApp: /FBAN|FBAV|FB_IAB/ },
    { id: 'x', kind: 'social', hosts: ['x.com', 'twitter.com', 't.co', 'com.twitter.android'], aliases: ['twitter'], inApp: /Twitter/ },
    { id: 'line', kind: 'social', hosts: ['line.me', 'jp.naver.line.android'], inApp: /Line\// },
    { id: 'tiktok', kind: 'social', hosts: ['tiktok.com'], inApp: /musical_ly|Bytedance/ },
    { id: 'linkedin', kind: 'social', hosts: ['linkedin.com', 'lnkd.in', 'com.linkedin.android'], inApp: /LinkedInApp/ },
    { id: 'youtube', kind: 'social', hosts: ['youtube.com', 'youtu.be', 'com.google.android.youtube'], aliases: ['yt'] },
    { id: 'pinterest', kind: 'social', hosts: ['pinterest.*', 'pin.it'] },
    { id: 'reddit', kind: 'social', hosts: ['reddit.com', 'redd.it', 'com.reddit.frontpage'] },
    { id: 'bluesky', kind: 'social', hosts: ['bsky.app'], aliases: ['bsky'] },
    {
      id: 'mastodon',
      kind: 'social',
      // No host list can be complete; these are the largest instances.
      hosts: ['mastodon.social', 'mastodon.online', 'mastodon.world', 'mstdn.jp', 'mstdn.social', 'mas.to', 'fosstodon.org', 'hachyderm.io', 'infosec.exchange', 'pawoo.net'],
    },
    { id: 'hatena', kind: 'social', hosts: ['b.hatena.ne.jp'], aliases: ['hatebu'] },
    { id: 'note', kind: 'social', hosts: ['note.com'] },

    { id: 'google', kind: 'search', hosts: ['google.*', 'com.google.android.googlequicksearchbox'] },
    { id: 'bing', kind: 'search', hosts: ['bing.com'] },
    { id: 'yahoo', kind: 'search', hosts: ['search.yahoo.com'] },
    { id: 'yahoo.co.jp', kind: 'search', hosts: ['yahoo.co.jp'] },
    { id: 'duckduckgo', kind: 'search', hosts: ['duckduckgo.com'] },
    { id: 'baidu', kind: 'search', hosts: ['baidu.com'] },
    { id: 'yandex', kind: 'search', hosts: ['yandex.*', 'ya.ru'] },
    { id: 'naver', kind: 'search', hosts: ['naver.com'] },
    { id: 'ecosia', kind: 'search', hosts: ['ecosia.org'] },

    // Webmail: a newsletter link clicked without UTM tags still counts as email. These hosts are
    // more specific than the search hosts they sit under (mail.google.com vs google.*), and win.
    { id: 'gmail', kind: 'email', hosts: ['mail.google.com', 'com.google.android.gm'] },
    { id: 'outlook', kind: 'email', hosts: ['outlook.live.com', 'outlook.office.com', 'outlook.office365.com'] },
    { id: 'yahoo_mail', kind: 'email', hosts: ['mail.yahoo.com', 'mail.yahoo.co.jp'] },
  ],

  // In the order DEFINITIONS lists them.
  clickIds: [
    { param: 'gclid', source: 'google', paid: true },
    { param: 'fbclid', source: 'facebook', paid: false },
    { param: 'ttclid', source: 'tiktok', paid: false },
    { param: 'twclid', source: 'x', paid: false },
    { param: 'li_fat_id', source: 'linkedin', paid: false },
    { param: 'msclkid', source: 'bing', paid: true },
    { param: 'yclid', source: 'yandex', paid: true },
  ],

  paidMedium: /^(?:.*cp.*|ppc|paid.*)$/,
  socialMediums: ['social', 'social-network', 'social-media', 'sm', 'social network', 'social media'],
  organicMedium: 'organic',
  email: /email|e-mail|e_mail|e mail|newsletter/,
  // A top-level domain, or a second level under a country (co.jp, com.au).
  countryDomain: /^(?:[a-z]{2,6}|(?:co|com|ne|or|org)\.[a-z]{2})$/,
};

/** The medium a source implies when the landing does not say (a social referrer means `social`). */
const KIND_MEDIUM: Record<SourceKind, string> = { social: 'social', search: 'organic', email: 'email' };
const MAX_LENGTH = 100;
const REFERRER_PROTOCOLS = new Set(['http:', 'https:', 'android-app:']);
const PORT = /:\d+$/;
const TRAILING_DOT = /\.$/;

const stripWww = (host: string) => (host.startsWith('www.') ? host.slice(4) : host);
const clean = (value: string | null | undefined) => (value ? value.trim().toLowerCase().slice(0, MAX_LENGTH) : '');

function parseUrl(url: string | null): URL | undefined {
  if (!url) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Lower-cased, without the trailing dot of a fully qualified name. */
const hostOf = (u: URL | undefined) => (u ? u.hostname.toLowerCase().replace(TRAILING_DOT, '') : '');

/** Hash-routed SPAs carry their query after the route: `/#/faq?utm_source=x`. */
function paramsOf(u: URL | undefined): URLSearchParams | undefined {
  if (!u) return undefined;
  const q = u.search ? -1 : u.hash.indexOf('?');
  return q < 0 ? u.searchParams : new URLSearchParams(u.hash.slice(q + 1));
}

/** A site host given as an origin or with a port still names the site; `www.` is the same site. */
const siteHost = (entry: string) => stripWww(entry.includes('/') ? hostOf(parseUrl(entry)) : entry.toLowerCase().replace(PORT, ''));

function isSameSite(host: string, siteHosts: string[], landingHost: string): boolean {
  const bare = stripWww(host);
  const matches = (site: string) =>
    site !== '' && (bare === site || (bare.endsWith(site) && bare[bare.length - site.length - 1] === '.'));
  return matches(stripWww(landingHost)) || siteHosts.some((s) => matches(siteHost(s)));
}

const byId = new Map<string, SourceRule>();
const byHost = new Map<string, SourceRule>();
const byBrand = new Map<string, SourceRule>(); // `google` for `google.*`
const byAlias = new Map<string, SourceRule>();
for (const rule of ACQUISITION_RULES.sources) {
  byId.set(rule.id, rule);
  byAlias.set(rule.id, rule);
  for (const alias of rule.aliases ?? []) byAlias.set(alias, rule);
  for (const host of rule.hosts) {
    if (host.endsWith('.*')) byBrand.set(host.slice(0, -2), rule);
    else byHost.set(host, rule);
  }
}
const inAppRules = ACQUISITION_RULES.sources.filter((r) => r.inApp);
const socialMediums = new Set(ACQUISITION_RULES.socialMediums);

/** The rule whose host is `host` or a parent of it; the most specific host wins. */
function ruleOfHost(host: string): SourceRule | undefined {
  for (let at = 0; ; ) {
    const exact = byHost.get(at === 0 ? host : host.slice(at));
    if (exact) return exact;
    const dot = host.indexOf('.', at);
    if (dot < 0) return undefined;
    const brand = byBrand.get(host.slice(at, dot));
    if (brand && ACQUISITION_RULES.countryDomain.test(host.slice(dot + 1))) return brand;
    at = dot + 1;
  }
}

/** A utm_source value names a rule by id, alias or host (`twitter`, `fb`, `m.facebook.com`). */
function ruleOfUtmSource(value: string): SourceRule | undefined {
  return byAlias.get(value) ?? (value.includes('.') ? ruleOfHost(value) : undefined);
}

/**
 * Classifies a session's landing (DEFINITIONS: acquisition and SNS; channels after the GA4 default
 * channel group).
 *
 * Source, first that applies: UTM parameters; then the first click id; then the external referrer
 * host (a same-site referrer is ignored); then the in-app browser. A landing tagged only with
 * utm_medium / utm_campaign takes its source from the later steps. `inApp` is set whenever the user
 * agent is a social app's browser, whatever decided the source.
 *
 * Channel, first that applies (GA4's order, with Paid Social ahead of Paid Search so that tagged
 * YouTube / social ads stay social when Google auto-tags them too):
 * 1. Paid Social — social source and paid medium;
 * 2. Paid Search — search source and paid medium, or a gclid / msclkid / yclid;
 * 3. Organic Social — social source, or a social medium;
 * 4. Organic Search — search source, or medium `organic`;
 * 5. Email — email source (webmail referrer), or source or medium matching the email pattern;
 * 6. Campaign — any other UTM-tagged landing (CONTRACT §4);
 * 7. Referral — any other external referrer;
 * 8. Direct.
 *
 * Never throws; returned strings are lower-cased and at most 100 characters.
 *
 * @example
 * classifySource({ landingUrl: 'https://example.com/', referrer: 'https://t.co/abc', userAgent: '', siteHosts: ['example.com'] })
 * // → { source: 'x', medium: 'social', campaign: '', channel: 'Organic Social', network: 'x', inApp: false, clickId: null, referrerHost: 't.co' }
 */
export function classifySource(input: ClassifyInput): Source {
  const landing = parseUrl(input.landingUrl);
  const params = paramsOf(landing);
  const utmSource = clean(params?.get('utm_source'));
  const utmMedium = clean(params?.get('utm_medium'));
  const campaign = clean(params?.get('utm_campaign'));

  const click = params && ACQUISITION_RULES.clickIds.find((c) => params.get(c.param));
  const inAppRule = inAppRules.find((r) => r.inApp!.test(input.userAgent));

  const referrer = parseUrl(input.referrer);
  const host = referrer && REFERRER_PROTOCOLS.has(referrer.protocol) ? hostOf(referrer) : '';
  const external = host !== '' && !isSameSite(host, input.siteHosts, hostOf(landing));
  const referrerHost = external ? stripWww(host).slice(0, MAX_LENGTH) : null;

  // The source the landing implies without UTM tags.
  let rule = click ? byId.get(click.source) : external ? ruleOfHost(host) : inAppRule;
  let source = rule?.id ?? referrerHost ?? '';
  let medium = click?.paid ? 'cpc' : rule ? KIND_MEDIUM[rule.kind] : external ? 'referral' : '';

  if (utmSource) {
    rule = ruleOfUtmSource(utmSource);
    source = rule?.id ?? utmSource;
  }
  // A tagged source brings its own medium, even none: the one implied above is about another source.
  if (utmSource || utmMedium) medium = utmMedium;

  const tagged = utmSource !== '' || utmMedium !== '' || campaign !== '';
  return {
    source,
    medium,
    campaign,
    channel: channelOf(rule?.kind, source, medium, click?.paid ?? false, tagged, external),
    network: rule?.kind === 'social' ? rule.id : null,
    inApp: inAppRule !== undefined,
    clickId: click?.param ?? null,
    referrerHost,
  };
}

function channelOf(
  kind: SourceKind | undefined,
  source: string,
  medium: string,
  paidClick: boolean,
  tagged: boolean,
  external: boolean,
): Channel {
  const paid = ACQUISITION_RULES.paidMedium.test(medium);
  if (kind === 'social' && paid) return 'Paid Social';
  if ((kind === 'search' && paid) || paidClick) return 'Paid Search';
  if (kind === 'social' || socialMediums.has(medium)) return 'Organic Social';
  if (kind === 'search' || medium === ACQUISITION_RULES.organicMedium) return 'Organic Search';
  if (kind === 'email' || ACQUISITION_RULES.email.test(source) || ACQUISITION_RULES.email.test(medium)) return 'Email';
  if (tagged) return 'Campaign';
  return external ? 'Referral' : 'Direct';
}

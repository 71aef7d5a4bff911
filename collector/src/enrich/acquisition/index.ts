/**
 * Acquisition (DEFINITIONS: acquisition and SNS): where a session came from, read off its landing
 * page, its referrer and its user agent, with GA4's channel rules so that marketers can reconcile the
 * figures with Google Analytics. The host and name lists are data generated from public lists
 * (build-data.ts), loaded into maps once: a classification is a few lookups.
 */
import { type Channel, channelOf } from './channel.ts';
import { clickSource, type ClickSource } from './click-ids.ts';
import { entryOfHost, entryOfSource, SOURCE_DATA_VERSION, type SourceCategory, type SourceEntry } from './hosts.ts';
import { inAppNetwork } from './in-app.ts';
import { searchTermOf } from './search-term.ts';
import { clean } from './text.ts';
import { hostOf, isSameSite, paramsOf, parseUrl, stripWww } from './url.ts';

export { CHANNELS, type Channel } from './channel.ts';
export { SOURCE_CATEGORIES, type SourceCategory } from './hosts.ts';
export { inAppNetwork } from './in-app.ts';

/**
 * The version of the rules and data that classify a session: a short hash of the generated data
 * and of the rule modules, renewed by `pnpm --filter @kizuna/collector acquisition:data`. Sessions
 * record it, so that a rules update can tell which sessions to classify again.
 */
export const ACQUISITION_RULES_VERSION: string = SOURCE_DATA_VERSION;

export interface Source {
  /**
   * utm_source, else the source the landing implies: the canonical name of a known engine, network or
   * assistant (`google`, `x`, `yahoo.co.jp`, `chatgpt`), else the referrer host; '' when direct
   */
  source: string;
  /** utm_medium, else the medium the source implies (`cpc`, `display`, `organic`, `social`, `email`, `referral`); '' when direct */
  medium: string;
  /** utm_campaign, '' when untagged */
  campaign: string;
  /** utm_id, '' when untagged */
  campaignId: string;
  /** utm_term, '' when untagged */
  term: string;
  /** utm_content, '' when untagged */
  content: string;
  channel: Channel;
  /** the source category of the source: search, social, video, shopping, ai or email; null when no list knows it */
  category: SourceCategory | null;
  /** the social or video network the session came from (`x`, `facebook`, `youtube` …), null otherwise */
  network: string | null;
  /** the search engine (`google`, `yahoo.co.jp`, `bing` …) when the source is one, else null */
  searchEngine: string | null;
  /** the AI assistant (`chatgpt`, `claude`, `perplexity` …) when the source is one, else null */
  aiAssistant: string | null;
  /** the search terms a search engine's referrer carries, '' when none (most engines strip them) */
  searchTerm: string;
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
  /**
   * the in-app browser's network when it is already known (`inAppNetwork` of the user agent, as a
   * stored session keeps it: the user agent itself is never stored); `userAgent` is then not read
   */
  inApp?: string | null;
  /** the site's own hosts; a referrer on one of them or a subdomain is never a source */
  siteHosts: string[];
}

const REFERRER_PROTOCOLS = new Set(['http:', 'https:', 'android-app:']);

/** The medium a source implies when the landing does not say: GA4's, except `social` for a social referrer. */
const IMPLIED_MEDIUM: Partial<Record<SourceCategory, string>> = { search: 'organic', social: 'social', email: 'email' };
const impliedMedium = (entry: SourceEntry | undefined) => (entry && IMPLIED_MEDIUM[entry.category]) ?? 'referral';
const nameIn = (entry: SourceEntry | undefined, ...categories: SourceCategory[]) =>
  entry && categories.includes(entry.category) ? entry.name : null;

interface Origin {
  source: string;
  medium: string;
  entry: SourceEntry | undefined;
}

const DIRECT: Origin = { source: '', medium: '', entry: undefined };

/** The source of a landing without utm_source: its click id, else its external referrer, else its in-app browser. */
function untaggedOrigin(click: ClickSource | undefined, referrer: SourceEntry | undefined, referrerHost: string | null, inApp: string | null): Origin {
  if (click) {
    const entry = entryOfSource(click.source);
    return { source: click.source, medium: click.medium || impliedMedium(entry), entry };
  }
  if (referrerHost !== null) return { source: referrer?.name ?? referrerHost, medium: impliedMedium(referrer), entry: referrer };
  if (inApp) return { source: inApp, medium: 'social', entry: entryOfSource(inApp) };
  return DIRECT;
}

/**
 * Classifies a session's landing (DEFINITIONS: acquisition and SNS).
 *
 * Source, first that applies: UTM tags; then the first click id; then the external referrer host (a
 * same-site referrer is ignored); then the in-app browser; else Direct. A utm_source with no
 * utm_medium takes a paid click id's medium (the click id confirms paid); a landing tagged with
 * utm_medium but no utm_source takes its source from the later steps. `inApp` is set whenever the user
 * agent is a social app's browser, whatever decided the source. Channel: GA4's rules ({@link channelOf}).
 *
 * Deterministic, never throws; returned strings are lower-cased and at most 100 characters.
 *
 * @example
 * classifySource({ landingUrl: 'https://example.com/?yclid=YSS.1', referrer: 'https://search.yahoo.co.jp/', userAgent: '', siteHosts: ['example.com'] })
 * // → { source: 'yahoo.co.jp', medium: 'cpc', channel: 'Paid Search', category: 'search', searchEngine: 'yahoo.co.jp', clickId: 'yclid', … }
 */
export function classifySource(input: ClassifyInput): Source {
  const landing = parseUrl(input.landingUrl);
  const params = paramsOf(landing);
  const utm = (name: string) => clean(params?.get(name));
  const utmSource = utm('utm_source');
  const utmMedium = utm('utm_medium');
  const campaign = utm('utm_campaign');
  const inApp = input.inApp !== undefined ? input.inApp : inAppNetwork(input.userAgent ?? '');

  const referrer = parseUrl(input.referrer);
  const host = referrer && REFERRER_PROTOCOLS.has(referrer.protocol) ? hostOf(referrer) : '';
  const external = host !== '' && !isSameSite(host, input.siteHosts, hostOf(landing));
  const referrerHost = external ? clean(stripWww(host)) : null;
  const referrerEntry = external ? entryOfHost(host, referrer!.pathname) : undefined;
  const click = params && clickSource(params, external ? host : '', inApp, nameIn(referrerEntry, 'social'));

  let origin: Origin;
  if (utmSource) {
    const entry = entryOfSource(utmSource);
    origin = { source: entry?.name ?? utmSource, medium: utmMedium || click?.medium || '', entry };
  } else {
    origin = untaggedOrigin(click, referrerEntry, referrerHost, inApp);
    if (utmMedium) origin = { ...origin, medium: utmMedium };
  }
  const { source, medium, entry } = origin;
  const category = entry?.category ?? null;

  return {
    source,
    medium,
    campaign,
    campaignId: utm('utm_id'),
    term: utm('utm_term'),
    content: utm('utm_content'),
    channel: channelOf({ source, medium, campaign, category }),
    category,
    network: nameIn(entry, 'social', 'video'),
    searchEngine: nameIn(entry, 'search'),
    aiAssistant: nameIn(entry, 'ai'),
    searchTerm: referrerEntry?.category === 'search' ? searchTermOf(referrer!, referrerEntry.params) : '',
    inApp: inApp !== null,
    clickId: click?.clickId ?? null,
    referrerHost,
  };
}

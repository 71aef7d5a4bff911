/**
 * Builds the classification data (sources.json) from the public lists kept in
 * collector/src/enrich/acquisition/upstream/ and our additions. Run by `pnpm --filter @kizuna/collector
 * acquisition:data` (which first copies the lists in) and, in memory, by the test that checks the
 * committed data is up to date. Not loaded at run time.
 *
 * PRECEDENCE — where the lists disagree on a host, the first of these that lists it decides its category:
 * 1. our additions (DEFINITIONS names them: nicovideo.jp is video, though GA4 and Matomo say social);
 * 2. the webmail rule: DEFINITIONS says `mail.*` is email (GA4 lists mail.yandex.ru, mail.rambler.ru as search);
 * 3. Google's GA4 list: our channels are GA4's, so its category is the one to reconcile with
 *    (youtube.com, vimeo.com: video, though Matomo's socials list them; digg.com, friendfeed.com: social,
 *    though Matomo's search engines list them); GA4 reads a host without its `www.`, so what it says of
 *    `facebook.com` it says of `www.facebook.com` too (social, though Matomo lists it as a search engine);
 * 4. Matomo's AI assistants: the more specific list (chatgpt.com, chat.openai.com, you.com are also in
 *    Matomo's search engines);
 * 5. Matomo's search engines; 6. Matomo's socials.
 * A network takes one category for all its hosts: once any host of it is video, all are (youtu.be
 * follows youtube.com). Matomo has no video category: its socials list is GA4's social and video.
 *
 * NAMES — a host's canonical name (search engine, network or assistant id) is the name of the first
 * list, in that order, that names it in the same category (Matomo's names, lower-cased, spaces to `-`,
 * then CANONICAL_NAMES: Twitter → x); for a host no list names (most of GA4's), the name of the
 * nearest listed host it matches or sits under, else its registrable label (`blog.naver.com` → naver).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { hostKeys } from './host-keys.ts';
import type { SourceCategory, SourceData, StoredEntry } from './hosts.ts';
import { IN_APP_MARKERS } from './in-app.ts';
import { ADDITIONS, CANONICAL_NAMES } from './additions.ts';

/** The upstream files, as published, under collector/src/enrich/acquisition/upstream/. */
export const UPSTREAM_FILES = {
  searchEngines: 'matomo-SearchEngines.yml',
  socials: 'matomo-Socials.yml',
  aiAssistants: 'matomo-AIAssistants.yml',
  ga4Categories: 'ga4_source_categories.csv',
  readme: 'README.md',
  licence: 'matomo-LICENSE.txt',
} as const;
export type UpstreamTexts = Record<keyof typeof UPSTREAM_FILES, string>;

export const UPSTREAM_DIR = new URL('./upstream/', import.meta.url);
const RULES_DIR = new URL('./', import.meta.url);
/** The modules whose code classifies: a change to any of them is a new rules version. */
const RULE_MODULES = ['channel.ts', 'click-ids.ts', 'host-keys.ts', 'hosts.ts', 'in-app.ts', 'index.ts', 'search-term.ts', 'text.ts', 'url.ts'];

export const PRECEDENCE = ['additions', 'webmail', 'ga4', 'matomo-ai', 'matomo-search', 'matomo-socials'] as const;
type ListId = (typeof PRECEDENCE)[number];

interface Claim {
  list: ListId;
  category: SourceCategory;
  name: string | null;
  params?: string[];
}

/** A host the lists put in different categories, and who won. */
export interface Conflict {
  host: string;
  category: SourceCategory;
  claims: string[];
}

type MatomoSearchEngines = Record<string, Array<{ urls: string[]; params?: unknown[] }>>;
type MatomoHostLists = Record<string, string[]>;

const GA4_CATEGORY = /^SOURCE_CATEGORY_([A-Z]+)$/;
/** Matomo also lists path regexes (`/s\/([^\/]+)/`) as parameters: only plain query parameter names are read. */
const QUERY_PARAM = /^[A-Za-z0-9_.[\]-]+$/;
/** co.jp, com.au, ne.jp: second levels under which the registrable label is one further left. */
const SECOND_LEVELS = new Set(['co', 'com', 'ne', 'or', 'ac', 'go', 'net', 'org', 'gov', 'edu', 'gr', 'ed', 'lg']);

export function readUpstream(dir: URL = UPSTREAM_DIR): UpstreamTexts {
  const read = (file: string) => readFileSync(new URL(file, dir), 'utf8');
  return Object.fromEntries(Object.entries(UPSTREAM_FILES).map(([key, file]) => [key, read(file)])) as UpstreamTexts;
}

export function readRuleModules(): string[] {
  return RULE_MODULES.map((file) => readFileSync(new URL(file, RULES_DIR), 'utf8').replace(/\r\n/g, '\n'));
}

/** A list's name as our canonical lower-case id: `Yahoo! Japan` → yahoo.co.jp, `Google%2B` → google+, `Twitter` → x. */
export function canonicalName(listName: string): string {
  const slug = decodeURIComponent(listName).toLowerCase().replace(/!/g, '').trim().replace(/\s+/g, '-');
  return CANONICAL_NAMES[slug] ?? slug;
}

/** The host part a Matomo URL entry is keyed by; Android app entries are written `android-app//<package>/…`. */
const matomoKey = (url: string) => url.toLowerCase().replace(/^android-app\/\//, '');

const family = (category: SourceCategory) => (category === 'video' ? 'social' : category);
const NAMED_CATEGORIES = new Set<SourceCategory>(['search', 'social', 'video', 'ai']);

function ga4Rows(csv: string): Array<[source: string, category: SourceCategory]> {
  return csv
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const comma = line.lastIndexOf(',');
      const category = GA4_CATEGORY.exec(line.slice(comma + 1).trim())?.[1];
      if (!category) throw new Error(`ga4_source_categories.csv: unreadable row ${JSON.stringify(line)}`);
      return [line.slice(0, comma).trim().toLowerCase(), category.toLowerCase() as SourceCategory];
    });
}

/** Every list's claims on every host key (hosts) and on every bare source name (GA4's `google`, `fb` …). */
function collectClaims(texts: UpstreamTexts) {
  const hosts = new Map<string, Claim[]>();
  const claim = (key: string, c: Claim) => hosts.set(key, [...(hosts.get(key) ?? []), c]);
  const ga4Names = new Map<string, SourceCategory>();

  for (const a of ADDITIONS) claim(a.host, { list: 'additions', category: a.category, name: a.name ?? null, params: a.params });
  for (const [source, category] of ga4Rows(texts.ga4Categories)) {
    if (source.includes('.')) claim(source, { list: 'ga4', category, name: null });
    else ga4Names.set(source, category);
  }
  const ai = parseYaml(texts.aiAssistants) as MatomoHostLists;
  for (const [name, urls] of Object.entries(ai)) {
    for (const url of urls) claim(matomoKey(url), { list: 'matomo-ai', category: 'ai', name: canonicalName(name) });
  }
  const engines = parseYaml(texts.searchEngines) as MatomoSearchEngines;
  for (const [name, groups] of Object.entries(engines)) {
    for (const group of groups) {
      const params = (group.params ?? []).filter((p): p is string => typeof p === 'string' && QUERY_PARAM.test(p));
      for (const url of group.urls) claim(matomoKey(url), { list: 'matomo-search', category: 'search', name: canonicalName(name), params });
    }
  }
  const socials = parseYaml(texts.socials) as MatomoHostLists;
  for (const [name, urls] of Object.entries(socials)) {
    for (const url of urls) claim(matomoKey(url), { list: 'matomo-socials', category: 'social', name: canonicalName(name) });
  }
  for (const [key, claims] of hosts) {
    // GA4 reads a referrer's host without its `www.`: its `facebook.com` (social) is also what it says
    // of `www.facebook.com`, which Matomo lists as Facebook's search (a plain link from it is social)
    const ga4 = key.startsWith('www.') && !claims.some((c) => c.list === 'ga4') && hosts.get(key.slice(4))?.find((c) => c.list === 'ga4');
    if (ga4) claims.push(ga4);
    if (key.startsWith('mail.')) claims.push({ list: 'webmail', category: 'email', name: null });
    claims.sort((a, b) => PRECEDENCE.indexOf(a.list) - PRECEDENCE.indexOf(b.list));
  }
  return { hosts, ga4Names };
}

interface Resolved {
  category: SourceCategory;
  name: string | null;
  params: string[];
}

/** The winning category, and the name and parameters of the first list that names the host in that category. */
function resolve(claims: Claim[]): Resolved {
  const category = claims[0]!.category;
  const same = claims.filter((c) => family(c.category) === family(category));
  const params = category === 'search' ? (same.find((c) => c.params && c.params.length > 0)?.params ?? []) : [];
  return { category, name: same.find((c) => c.name)?.name ?? null, params };
}

/** `blog.naver.com` → naver, `yahoo.co.jp` → yahoo. */
function registrableLabel(host: string): string {
  const labels = host.split('/')[0]!.split('.');
  const n = labels.length;
  const underSecondLevel = n >= 3 && labels[n - 1]!.length === 2 && SECOND_LEVELS.has(labels[n - 2]!);
  return canonicalName(labels[underSecondLevel ? n - 3 : n - 2] ?? labels[0]!);
}

/** The name of the nearest listed host that `host` matches (wildcard, www.) or sits under, in the same category family. */
function nearestName(host: string, category: SourceCategory, named: Map<string, Resolved>): string {
  const labels = host.split('.');
  const candidates = [...hostKeys(host).slice(1), ...labels.slice(1, -1).map((_, i) => labels.slice(i + 1).join('.'))];
  for (const key of candidates) {
    const r = named.get(key);
    if (r?.name && family(r.category) === family(category)) return r.name;
  }
  return registrableLabel(host);
}

const stored = (r: Resolved): StoredEntry => (r.params.length > 0 ? [r.category, r.name, r.params] : [r.category, r.name]);

export interface BuildResult {
  data: SourceData;
  conflicts: Conflict[];
}

export function buildSourceData(texts: UpstreamTexts, ruleModules: string[]): BuildResult {
  const { hosts: claimsByHost, ga4Names } = collectClaims(texts);

  const resolved = new Map<string, Resolved>();
  const conflicts: Conflict[] = [];
  for (const [key, claims] of claimsByHost) {
    const r = resolve(claims);
    resolved.set(key, r);
    if (new Set(claims.map((c) => c.category)).size > 1) {
      conflicts.push({ host: key, category: r.category, claims: claims.map((c) => `${c.list}: ${c.category}`) });
    }
  }
  // Names for what no list names, from the named hosts only (a derived name never feeds another).
  const named = new Map([...resolved].filter(([, r]) => r.name));
  for (const [key, r] of resolved) {
    if (!r.name && NAMED_CATEGORIES.has(r.category)) r.name = nearestName(key, r.category, named);
  }
  // One category per network: video once any of its hosts is.
  const videoNetworks = new Set([...resolved.values()].filter((r) => r.category === 'video').map((r) => r.name));
  for (const r of resolved.values()) if (r.category === 'social' && videoNetworks.has(r.name)) r.category = 'video';

  const names = new Map<string, Resolved>();
  for (const [source, category] of ga4Names) {
    const name = NAMED_CATEGORIES.has(category) ? canonicalName(source) : null;
    names.set(source, { category: category === 'social' && videoNetworks.has(name) ? 'video' : category, name, params: [] });
  }
  for (const r of resolved.values()) {
    if (r.name && !names.has(r.name)) names.set(r.name, { category: r.category, name: r.name, params: [] });
  }
  for (const [network] of IN_APP_MARKERS) if (!names.has(network)) names.set(network, { category: 'social', name: network, params: [] });
  for (const [alias, name] of Object.entries(CANONICAL_NAMES)) {
    const target = names.get(name);
    if (target && !names.has(alias)) names.set(alias, target);
  }

  const body = {
    upstream: upstreamOf(texts.readme),
    hosts: Object.fromEntries([...resolved].sort(byKey).map(([k, r]) => [k, stored(r)])),
    names: Object.fromEntries([...names].sort(byKey).map(([k, r]) => [k, stored(r)])),
  };
  const version = createHash('sha256').update(serializeSourceData({ version: '', ...body })).update(ruleModules.join('\0')).digest('hex').slice(0, 12);
  return { data: { version, ...body }, conflicts: conflicts.sort((a, b) => a.host.localeCompare(b.host)) };
}

const byKey = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);

/** Where the lists come from, read off the upstream README (repository, commit, date, licence). */
function upstreamOf(readme: string): Record<string, string> {
  const matomo = /matomo-org\/searchengine-and-social-list @ ([0-9a-f]+) \(([^)]+)\)/.exec(readme);
  const ga4 = /(Velir\/dbt-ga4) `seeds\/` @ ([0-9a-f]+)/.exec(readme);
  if (!matomo || !ga4) throw new Error('upstream README.md: the Matomo and GA4 list commits are not where they were');
  return {
    matomo: `matomo-org/searchengine-and-social-list@${matomo[1]} (${matomo[2]}), CC0-1.0`,
    ga4: `Google's GA4 source categories (2022), as kept in ${ga4[1]} seeds/@${ga4[2]}`,
  };
}

/** Stable JSON, one host or name a line, so that a list update reads as a small diff. */
export function serializeSourceData(data: SourceData): string {
  const block = (record: Record<string, StoredEntry>) =>
    `{\n${Object.entries(record).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n  }`;
  return `{\n  "version": ${JSON.stringify(data.version)},\n  "upstream": ${JSON.stringify(data.upstream)},\n  "hosts": ${block(data.hosts)},\n  "names": ${block(data.names)}\n}\n`;
}

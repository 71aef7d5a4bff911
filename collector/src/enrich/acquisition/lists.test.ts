/**
 * The public lists as test truth (issue #14): every entry of each list kept in
 * collector/src/enrich/acquisition/upstream/ is classified, and each list's agreement is printed and must
 * be at least 99 %. Where the lists disagree with each other, build-data.ts's PRECEDENCE decides; the
 * hosts it decides are pinned here, so that a list update that brings a new disagreement is seen.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ADDITIONS } from './additions.ts';
import { buildSourceData, canonicalName, readRuleModules, readUpstream, serializeSourceData } from './build-data.ts';
import type { Source } from './index.ts';
import { classify } from './test-helpers.ts';

const upstream = readUpstream();
const MIN_AGREEMENT = 0.99;

/** A list entry as a referrer: `{}` as a country (de), Matomo's `android-app//pkg/…` as the app URL. */
function referrerOf(entry: string): string {
  const url = entry.toLowerCase().replace(/^\{\}\./, 'de.').replace(/\.\{\}(?=\/|$)/, '.de');
  return url.startsWith('android-app//') ? url.replace('android-app//', 'android-app://') : `https://${url}${url.includes('/') ? '' : '/'}`;
}

interface Case {
  entry: string;
  agrees(result: Source): boolean;
  expected: string;
  run(): Source;
}

/** Classifies every case, prints the list's agreement line and its disagreements, and returns the share that agrees. */
function agreement(list: string, what: string, cases: Case[]): number {
  const disagreements = cases.flatMap((c) => {
    const r = c.run();
    return c.agrees(r) ? [] : [`  ${c.entry}: expected ${c.expected}, got ${r.category} ${r.network ?? r.searchEngine ?? r.aiAssistant ?? r.source}`];
  });
  const agreed = cases.length - disagreements.length;
  console.log(`${list}: ${agreed}/${cases.length} ${what} (${((100 * agreed) / cases.length).toFixed(1)} %)${['', ...disagreements].join('\n')}`);
  return agreed / cases.length;
}

const referrerCase = (entry: string, expected: string, agrees: (r: Source) => boolean): Case => ({
  entry, expected, agrees, run: () => classify('/', referrerOf(entry)),
});

/** One case per host of a Matomo list (name → hosts), with that name's canonical id. */
const matomoCases = (list: Record<string, string[]>, category: string, agrees: (r: Source, id: string) => boolean): Case[] =>
  Object.entries(list).flatMap(([name, urls]) => {
    const id = canonicalName(name);
    return urls.map((url) => referrerCase(url, `${category} ${id}`, (r) => agrees(r, id)));
  });

describe('the public lists, entry by entry', () => {
  it('Matomo search engines: every host is a search engine of that name', () => {
    const engines = parseYaml(upstream.searchEngines) as Record<string, Array<{ urls: string[] }>>;
    const hosts = Object.fromEntries(Object.entries(engines).map(([name, groups]) => [name, groups.flatMap((g) => g.urls)]));
    const cases = matomoCases(hosts, 'search', (r, id) => r.category === 'search' && r.searchEngine === id && r.channel === 'Organic Search');
    expect(cases.length).toBeGreaterThan(600);
    expect(agreement('matomo search engines', 'hosts → Organic Search, that engine', cases)).toBeGreaterThanOrEqual(MIN_AGREEMENT);
  });

  it('Matomo socials: every host is that network, social (or video, where GA4 splits it off)', () => {
    const socials = parseYaml(upstream.socials) as Record<string, string[]>;
    const cases = matomoCases(socials, 'social', (r, id) => (r.category === 'social' || r.category === 'video') && r.network === id && /^Organic (Social|Video)$/.test(r.channel));
    expect(cases.length).toBeGreaterThan(200);
    expect(agreement('matomo socials', 'hosts → Organic Social / Video, that network', cases)).toBeGreaterThanOrEqual(MIN_AGREEMENT);
  });

  it('Matomo AI assistants: every host is that assistant', () => {
    const assistants = parseYaml(upstream.aiAssistants) as Record<string, string[]>;
    const cases = matomoCases(assistants, 'ai', (r, id) => r.category === 'ai' && r.aiAssistant === id && r.channel === 'AI Assistants');
    expect(agreement('matomo AI assistants', 'hosts → AI Assistants, that assistant', cases)).toBeGreaterThanOrEqual(MIN_AGREEMENT);
  });

  it("GA4's source categories: every source (a referrer host, or a utm_source name) is in GA4's category", () => {
    const rows = upstream.ga4Categories.trim().split(/\r?\n/).slice(1).map((line) => line.split(','));
    const cases = rows.map(([source, ga4]): Case => {
      const category = ga4!.replace('SOURCE_CATEGORY_', '').toLowerCase();
      const named = category === 'social' || category === 'video';
      const agrees = (r: Source) => r.category === category && (!named || r.network !== null);
      return source!.includes('.')
        ? referrerCase(source!, category, agrees)
        : { entry: source!, expected: category, agrees, run: () => classify(`/?utm_source=${encodeURIComponent(source!)}`) };
    });
    expect(cases.length).toBe(819);
    expect(agreement('GA4 source categories', 'sources → their category', cases)).toBeGreaterThanOrEqual(MIN_AGREEMENT);
  });

  it('our additions (DEFINITIONS: Japanese additions, Android apps, webmail): every host as DEFINITIONS says', () => {
    const cases = ADDITIONS.map((a) =>
      referrerCase(a.host, `${a.category} ${a.name ?? ''}`, (r) => r.category === a.category && (!a.name || a.name === (r.network ?? r.searchEngine ?? r.source))),
    );
    expect(agreement('our additions', 'hosts → their category and name', cases)).toBe(1);
  });
});

describe('where the lists disagree (build-data.ts PRECEDENCE)', () => {
  const { data, conflicts } = buildSourceData(upstream, readRuleModules());

  it('decides exactly these hosts, as documented', () => {
    expect(conflicts.map((c) => `${c.host} → ${c.category}`)).toEqual([
      'chat.openai.com → ai', // Matomo's AI assistants over its search engines
      'chatgpt.com → ai',
      'digg.com → social', // GA4 over Matomo's search engines
      'friendfeed.com → social',
      'mail.rambler.ru → email', // DEFINITIONS' mail.* over GA4's search
      'mail.yandex.ru → email',
      'nicovideo.jp → video', // DEFINITIONS over GA4's and Matomo's social
      'vimeo.com → video', // GA4 over Matomo's socials
      'www.facebook.com → social', // GA4's facebook.com (it reads hosts without www.) over Matomo's search engines
      'you.com → ai',
      'youtube.com → video',
    ]);
  });

  it('gives a network one category: youtu.be (only in Matomo\'s socials) follows youtube.com to video', () => {
    expect(classify('/', 'https://youtu.be/abc')).toMatchObject({ category: 'video', network: 'youtube', channel: 'Organic Video' });
  });

  it('the committed data is what the lists and rules build now (else run `pnpm --filter @kizuna/collector acquisition:data`)', () => {
    const committed = readFileSync(new URL('./sources.json', import.meta.url), 'utf8');
    expect(committed).toBe(serializeSourceData(data));
  });

  it('names the upstream commits and licence in the data', () => {
    expect(data.upstream.matomo).toMatch(/^matomo-org\/searchengine-and-social-list@[0-9a-f]{7,} .*CC0-1\.0$/);
    expect(data.upstream.ga4).toMatch(/dbt-ga4 seeds\/@[0-9a-f]{7,}$/);
  });
});

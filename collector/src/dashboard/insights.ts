/**
 * Insights (docs/DEFINITIONS.md, "Insights"): "what to improve this period", one pure rule per kind
 * of problem, each with its thresholds here, each finding a sentence's figures and the page that
 * holds the evidence. The overview ranks what fires by how far past its threshold it is.
 */
import type { PageName } from './layout.tsx';

/** Every threshold of the rules, named once (DEFINITIONS quotes them). */
export const THRESHOLDS = {
  rageClicks: { minPageviews: 50, minBursts: 5, timesSite: 3 },
  poorLcp: { minSamples: 20, minPoorShare: 0.25, timesSite: 2 },
  unhelpfulArticle: { minVotes: 10, minUnhelpfulShare: 0.5 },
  failedSearch: { minZeroResults: 5 },
  inAppBounce: { minSessions: 20, minBounceAboveSite: 0.2 },
  funnelDrop: { minSessions: 20, minLost: 0.7 },
} as const;

export type InsightKind = keyof typeof THRESHOLDS;

export interface Insight {
  kind: InsightKind;
  /** how far past its threshold (1 = just at it): the ranking */
  strength: number;
  /** the sentence's figures, raw (the page formats them) */
  figures: Record<string, string | number>;
  /** where the evidence is, and the table's anchor */
  page: PageName;
  anchor: string;
}

export interface PageSignal {
  path: string;
  pageviews: number;
  /** rage-click bursts on the page */
  rageBursts: number;
  lcpSamples: number;
  lcpPoor: number;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
const insight = (kind: InsightKind, strength: number, figures: Insight['figures'], page: PageName, anchor: string): Insight => ({ kind, strength, figures, page, anchor });

/** A page whose rage clicks per page view are at least `timesSite` times the site's. */
export function rageClicks(pages: PageSignal[]): Insight[] {
  const t = THRESHOLDS.rageClicks;
  const site = ratio(sum(pages, 'rageBursts'), sum(pages, 'pageviews'));
  if (site === 0) return [];
  return pages
    .filter((p) => p.pageviews >= t.minPageviews && p.rageBursts >= t.minBursts)
    .map((p) => ({ p, rate: ratio(p.rageBursts, p.pageviews) }))
    .filter(({ rate }) => rate >= t.timesSite * site)
    .map(({ p, rate }) => insight('rageClicks', rate / site / t.timesSite, { path: p.path, rate, times: rate / site }, 'usability', 'hotspots'));
}

/** A page whose share of poor LCP samples is at least `minPoorShare` and `timesSite` times the site's. */
export function poorLcp(pages: PageSignal[]): Insight[] {
  const t = THRESHOLDS.poorLcp;
  const site = ratio(sum(pages, 'lcpPoor'), sum(pages, 'lcpSamples'));
  if (site === 0) return [];
  return pages
    .filter((p) => p.lcpSamples >= t.minSamples)
    .map((p) => ({ p, rate: ratio(p.lcpPoor, p.lcpSamples) }))
    .filter(({ rate }) => rate >= t.minPoorShare && rate >= t.timesSite * site)
    .map(({ p, rate }) => insight('poorLcp', rate / site / t.timesSite, { path: p.path, rate, times: rate / site }, 'usability', 'vitals-h'));
}

/** An FAQ article with at least `minVotes` votes, more than `minUnhelpfulShare` of them "not helpful". */
export function unhelpfulArticle(articles: { article: string; title: string | null; helpful: number; notHelpful: number }[]): Insight[] {
  const t = THRESHOLDS.unhelpfulArticle;
  return articles
    .map((a) => ({ a, votes: a.helpful + a.notHelpful }))
    .filter(({ a, votes }) => votes >= t.minVotes && ratio(a.notHelpful, votes) > t.minUnhelpfulShare)
    .map(({ a, votes }) => {
      const rate = ratio(a.notHelpful, votes);
      return insight('unhelpfulArticle', rate / t.minUnhelpfulShare, { path: a.title || a.article, rate, votes }, 'faq', 'articles');
    });
}

/** A search query typed at least `minZeroResults` times with no result. */
export function failedSearch(searches: { query: string; zeroResults: number }[]): Insight[] {
  const t = THRESHOLDS.failedSearch;
  return searches
    .filter((s) => s.zeroResults >= t.minZeroResults)
    .map((s) => insight('failedSearch', s.zeroResults / t.minZeroResults, { query: s.query, count: s.zeroResults }, 'faq', 'failed'));
}

export interface InAppNetwork {
  network: string;
  inAppSessions: number;
  inAppEngaged: number;
}

/** A network whose in-app sessions (at least `minSessions`) bounce `minBounceAboveSite` more than the site's sessions. */
export function inAppBounce(networks: InAppNetwork[], site: { sessions: number; engagedSessions: number }): Insight[] {
  const t = THRESHOLDS.inAppBounce;
  if (site.sessions === 0) return [];
  const siteEngaged = site.engagedSessions / site.sessions;
  return networks
    .filter((n) => n.inAppSessions >= t.minSessions)
    .map((n) => ({ n, engaged: n.inAppEngaged / n.inAppSessions }))
    .filter(({ engaged }) => siteEngaged - engaged >= t.minBounceAboveSite)
    .map(({ n, engaged }) =>
      insight('inAppBounce', (siteEngaged - engaged) / t.minBounceAboveSite, { network: n.network, rate: engaged, site: siteEngaged }, 'acquisition', 'networks'),
    );
}

/** A funnel step that loses at least `minLost` of the `minSessions` or more sessions of the step before. */
export function funnelDrop(steps: { step: string; sessions: number }[]): Insight[] {
  const t = THRESHOLDS.funnelDrop;
  return steps.slice(1).flatMap((s, i) => {
    const before = steps[i]!;
    const lost = 1 - ratio(s.sessions, before.sessions);
    if (before.sessions < t.minSessions || lost < t.minLost) return [];
    return [insight('funnelDrop', lost / t.minLost, { from: before.step, to: s.step, rate: lost }, 'journeys', 'funnel-h')];
  });
}

/** The strongest findings first, at most `max`. */
export const ranked = (found: Insight[], max = 5) => [...found].sort((a, b) => b.strength - a.strength).slice(0, max);

const sum = <K extends keyof PageSignal>(rows: PageSignal[], key: K) => rows.reduce((n, r) => n + (r[key] as number), 0);

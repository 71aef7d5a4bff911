/**
 * `reports/faq` (CONTRACT §4): per article, views and "was this helpful?" votes; searches with their
 * zero-result counts; self-service rate, escalations and self-service score.
 * Definitions: docs/DEFINITIONS.md, "FAQ and self-service". Reads the rollups only.
 */
import { desc, max } from 'drizzle-orm';
import { rollupDays, rollupFaq, rollupSearches } from '../db/schema.ts';
import type { Executor } from '../db/sql.ts';
import { total } from './figures.ts';
import { inRange, round, type ReportRange } from './range.ts';

export interface FaqArticle {
  /** the `data-kizuna-faq` id, else the page path (DEFINITIONS: FAQ view) */
  article: string;
  title: string | null;
  views: number;
  helpful: number;
  notHelpful: number;
  /** helpful / (helpful + not helpful); null with no vote */
  helpfulness: number | null;
}

export interface FaqSearch {
  /** trimmed, lower-cased, ≤ 200 characters */
  query: string;
  count: number;
  /** failed searches: 0 results */
  zeroResults: number;
}

/** The FAQ report (CONTRACT §4 `reports/faq`) over a range of days. */
export interface Faq {
  from: string;
  to: string;
  timezone: string;
  /** every article viewed or voted on, most viewed first */
  articles: FaqArticle[];
  /** the {@link TOP_SEARCHES} most frequent queries */
  searches: FaqSearch[];
  /** all searches of the range, not only the listed queries */
  totalSearches: number;
  /** all failed (0-result) searches of the range */
  failedSearches: number;
  /** sessions with ≥ 1 FAQ view */
  faqSessions: number;
  /** FAQ sessions with no support contact after their first FAQ view */
  selfServedSessions: number;
  /** self-served sessions / FAQ sessions; null with no FAQ session */
  selfServiceRate: number | null;
  /** sessions with a FAQ view followed by a support contact */
  escalations: number;
  /** sessions with a support contact */
  supportSessions: number;
  /** FAQ sessions / support sessions [Zendesk]; null with no support session */
  selfServiceScore: number | null;
}

export const TOP_SEARCHES = 100;

/**
 * The FAQ report over a range (DEFINITIONS: FAQ view, FAQ search, failed search, helpfulness,
 * self-service rate, escalation, self-service score). Reads `rollup_faq`, `rollup_searches` and
 * `rollup_days` only.
 */
export async function faqReport(ex: Executor, range: ReportRange): Promise<Faq> {
  const [articles, searches, searchTotals, sessions] = await Promise.all([
    faqArticles(ex, range),
    topSearches(ex, range),
    searchTotalsOf(ex, range),
    selfService(ex, range),
  ]);
  return { from: range.from, to: range.to, timezone: range.timezone, articles, searches, ...searchTotals, ...sessions };
}

const ratio = (a: number, b: number) => (b ? round(a / b) : null);

async function faqArticles(ex: Executor, r: ReportRange): Promise<FaqArticle[]> {
  const F = rollupFaq;
  const views = total(F.views);
  const rows = await ex
    .select({ article: F.article, title: max(F.title), views, helpful: total(F.helpful), notHelpful: total(F.notHelpful) })
    .from(F)
    .where(inRange(F, r))
    .groupBy(F.article)
    .orderBy(desc(views), F.article);
  return rows.map((row) => ({ ...row, helpfulness: ratio(row.helpful, row.helpful + row.notHelpful) }));
}

async function topSearches(ex: Executor, r: ReportRange): Promise<FaqSearch[]> {
  const S = rollupSearches;
  const count = total(S.searches);
  return ex
    .select({ query: S.query, count, zeroResults: total(S.zeroResults) })
    .from(S)
    .where(inRange(S, r))
    .groupBy(S.query)
    .orderBy(desc(count), S.query)
    .limit(TOP_SEARCHES);
}

async function searchTotalsOf(ex: Executor, r: ReportRange): Promise<Pick<Faq, 'totalSearches' | 'failedSearches'>> {
  const [row] = await ex
    .select({ totalSearches: total(rollupSearches.searches), failedSearches: total(rollupSearches.zeroResults) })
    .from(rollupSearches)
    .where(inRange(rollupSearches, r));
  return row!;
}

type SelfService = Pick<Faq, 'faqSessions' | 'selfServedSessions' | 'selfServiceRate' | 'escalations' | 'supportSessions' | 'selfServiceScore'>;

async function selfService(ex: Executor, r: ReportRange): Promise<SelfService> {
  const D = rollupDays;
  const [row] = await ex
    .select({ faq: total(D.faqSessions), served: total(D.selfServedSessions), escalations: total(D.escalations), support: total(D.supportSessions) })
    .from(D)
    .where(inRange(D, r));
  const { faq, served, escalations, support } = row!;
  return {
    faqSessions: faq,
    selfServedSessions: served,
    selfServiceRate: ratio(served, faq),
    escalations,
    supportSessions: support,
    selfServiceScore: ratio(faq, support),
  };
}

/** The report's tables, each downloadable as CSV (`table=`); the first is the default. */
export const tables = {
  articles: (r: Faq) => r.articles,
  searches: (r: Faq) => r.searches,
  /** the range's self-service figures, one row */
  selfService: ({ totalSearches, failedSearches, faqSessions, selfServedSessions, selfServiceRate, escalations, supportSessions, selfServiceScore }: Faq) => [
    { totalSearches, failedSearches, faqSessions, selfServedSessions, selfServiceRate, escalations, supportSessions, selfServiceScore },
  ],
};

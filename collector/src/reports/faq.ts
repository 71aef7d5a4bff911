/**
 * `reports/faq` (CONTRACT §4): per article, views and "was this helpful?" votes; searches with their
 * zero-result counts; self-service rate, escalations and self-service score.
 * Definitions: DEFINITIONS.md, "FAQ and self-service". Reads the rollups only.
 */
import type { Db } from '../db/index.ts';
import { round } from './overview.ts';
import type { ReportRange } from './range.ts';

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

const inRange = `site_id = $1 and day between $2::date and $3::date`;

/**
 * The FAQ report over a range (DEFINITIONS: FAQ view, FAQ search, failed search, helpfulness,
 * self-service rate, escalation, self-service score). Reads `rollup_faq`, `rollup_searches` and
 * `rollup_days` only.
 */
export async function faqReport(db: Db, range: ReportRange): Promise<Faq> {
  const params = [range.siteId, range.from, range.to];
  const [articles, searches, searchTotals, sessions] = await Promise.all([
    faqArticles(db, params),
    topSearches(db, params),
    searchTotalsOf(db, params),
    selfService(db, params),
  ]);
  return { from: range.from, to: range.to, timezone: range.timezone, articles, searches, ...searchTotals, ...sessions };
}

const ratio = (a: number, b: number) => (b ? round(a / b) : null);

async function faqArticles(db: Db, params: unknown[]): Promise<FaqArticle[]> {
  const rows = await db.query<{ article: string; title: string | null; views: string | number; helpful: string | number; not_helpful: string | number }>(
    `select article, max(title) as title, sum(views) as views, sum(helpful) as helpful, sum(not_helpful) as not_helpful
     from rollup_faq where ${inRange} group by article order by views desc, article`,
    params,
  );
  return rows.map((r) => {
    const [helpful, notHelpful] = [Number(r.helpful), Number(r.not_helpful)];
    return { article: r.article, title: r.title, views: Number(r.views), helpful, notHelpful, helpfulness: ratio(helpful, helpful + notHelpful) };
  });
}

async function topSearches(db: Db, params: unknown[]): Promise<FaqSearch[]> {
  const rows = await db.query<{ query: string; count: string | number; zero: string | number }>(
    `select query, sum(searches) as count, sum(zero_results) as zero from rollup_searches where ${inRange}
     group by query order by count desc, query limit ${TOP_SEARCHES}`,
    params,
  );
  return rows.map((r) => ({ query: r.query, count: Number(r.count), zeroResults: Number(r.zero) }));
}

async function searchTotalsOf(db: Db, params: unknown[]): Promise<Pick<Faq, 'totalSearches' | 'failedSearches'>> {
  const [row] = await db.query<{ searches: string | number; failed: string | number }>(
    `select coalesce(sum(searches), 0) as searches, coalesce(sum(zero_results), 0) as failed from rollup_searches where ${inRange}`,
    params,
  );
  return { totalSearches: Number(row!.searches), failedSearches: Number(row!.failed) };
}

type SelfService = Pick<Faq, 'faqSessions' | 'selfServedSessions' | 'selfServiceRate' | 'escalations' | 'supportSessions' | 'selfServiceScore'>;

async function selfService(db: Db, params: unknown[]): Promise<SelfService> {
  const [row] = await db.query<Record<'faq' | 'served' | 'escalations' | 'support', string | number>>(
    `select coalesce(sum(faq_sessions), 0) as faq, coalesce(sum(self_served_sessions), 0) as served,
       coalesce(sum(escalations), 0) as escalations, coalesce(sum(support_sessions), 0) as support
     from rollup_days where ${inRange}`,
    params,
  );
  const [faq, served, support] = [Number(row!.faq), Number(row!.served), Number(row!.support)];
  return {
    faqSessions: faq,
    selfServedSessions: served,
    selfServiceRate: ratio(served, faq),
    escalations: Number(row!.escalations),
    supportSessions: support,
    selfServiceScore: ratio(faq, support),
  };
}

/** The CSV of the FAQ report: the per-article table. */
export function csvRows(report: Faq): FaqArticle[] {
  return report.articles;
}

/**
 * `reports/faq` (CONTRACT §4): per article, views and "was this helpful?" votes; searches with their
 * zero-result counts; self-service rate, escalations and self-service score.
 * Definitions: docs/DEFINITIONS.md, "FAQ and self-service". Reads the rollups only, or with filters the
 * rollups' groupings over the kept sessions (reports/filters.ts).
 */
import { sql } from 'drizzle-orm';
import { FAQ_ARTICLES, FAQ_SEARCHES } from '../aggregate/registry.ts';
import { rollupFaq, rollupSearches } from '../db/schema.ts';
import { as, type Driver } from '../db/sql.ts';
import { total } from './figures.ts';
import { overKept, rollupsOrFiltered, sessionOutcomes, type Filters } from './filters.ts';
import { inRange, round, type ReportRange } from './range.ts';
import { table } from './table.ts';

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

const F = rollupFaq;
const S = rollupSearches;
const ARTICLES = rollupsOrFiltered(
  sql`select ${F.article}, max(${F.title}) as title, ${total(F.views)} as views, ${total(F.helpful)} as helpful,
    ${total(F.notHelpful)} as not_helpful from ${F} where ${inRange(F)} group by ${F.article} order by views desc, ${F.article}`,
  { article: as.text, title: as.nullable(as.text), views: as.number, helpful: as.number, not_helpful: as.number },
  FAQ_ARTICLES,
);
const TOP = rollupsOrFiltered(
  sql`select ${S.query}, ${total(S.searches)} as count, ${total(S.zeroResults)} as zero_results from ${S} where ${inRange(S)}
    group by ${S.query} order by count desc, ${S.query} limit ${sql.raw(String(TOP_SEARCHES))}`,
  { query: as.text, count: as.number, zero_results: as.number },
  FAQ_SEARCHES,
);
const SEARCH_TOTALS = rollupsOrFiltered(
  sql`select ${total(S.searches)} as searches, ${total(S.zeroResults)} as failed from ${S} where ${inRange(S)}`,
  { searches: as.number, failed: as.number },
  FAQ_SEARCHES,
);
const SELF_SERVICE = sessionOutcomes('faqSessions', 'selfServedSessions', 'escalations', 'supportSessions');

const ratio = (a: number, b: number) => (b ? round(a / b) : null);

/**
 * The FAQ report over a range (DEFINITIONS: FAQ view, FAQ search, failed search, helpfulness,
 * self-service rate, escalation, self-service score), of the sessions the filters keep. Reads
 * `rollup_faq`, `rollup_searches` and `rollup_days`, or their groupings over the kept sessions.
 */
export async function faqReport(driver: Driver, range: ReportRange, filters: Filters = {}): Promise<Faq> {
  const [articles, searches, [totals], [sessions]] = await overKept(driver, range, filters, (d) =>
    Promise.all([ARTICLES(d, range, filters), TOP(d, range, filters), SEARCH_TOTALS(d, range, filters), SELF_SERVICE(d, range, filters)]),
  );
  const outcomes = sessions!;
  return {
    from: range.from,
    to: range.to,
    timezone: range.timezone,
    articles: articles.map(({ article, title, views, helpful, not_helpful }) => ({
      article, title, views, helpful, notHelpful: not_helpful, helpfulness: ratio(helpful, helpful + not_helpful),
    })),
    searches: searches.map((r) => ({ query: r.query, count: r.count, zeroResults: r.zero_results })),
    totalSearches: totals!.searches,
    failedSearches: totals!.failed,
    faqSessions: outcomes.faqSessions,
    selfServedSessions: outcomes.selfServedSessions,
    selfServiceRate: ratio(outcomes.selfServedSessions, outcomes.faqSessions),
    escalations: outcomes.escalations,
    supportSessions: outcomes.supportSessions,
    selfServiceScore: ratio(outcomes.faqSessions, outcomes.supportSessions),
  };
}

/** The report's tables, each downloadable as CSV (`table=`); the first is the default. */
const SELF_SERVICE_COLUMNS = [
  'totalSearches', 'failedSearches', 'faqSessions', 'selfServedSessions', 'selfServiceRate', 'escalations', 'supportSessions', 'selfServiceScore',
] as const;

export const tables = {
  articles: table(['article', 'title', 'views', 'helpful', 'notHelpful', 'helpfulness'], (r: Faq) => r.articles),
  searches: table(['query', 'count', 'zeroResults'], (r: Faq) => r.searches),
  /** the range's self-service figures, one row */
  selfService: table(SELF_SERVICE_COLUMNS, (r: Faq) => [Object.fromEntries(SELF_SERVICE_COLUMNS.map((c) => [c, r[c]])) as Pick<Faq, (typeof SELF_SERVICE_COLUMNS)[number]>]),
};

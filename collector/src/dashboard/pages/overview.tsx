/**
 * Overview: KPI tiles with their change against the previous period, the daily chart, visitors of
 * the last five minutes, and the insights ("what to improve this period").
 */
import { hasFilters, type Filters } from '../../reports/filters.ts';
import { tables, type OverviewFigures as Figures } from '../../reports/overview.ts';
import { DailyChart } from '../chart.tsx';
import { FilterForm, filtersOf, filtersQuery } from '../filters.tsx';
import { csvHref, type PageContext } from '../page.tsx';
import { inAppNetworks, pageSignals, realtimeVisitors } from '../queries.ts';
import { failedSearch, funnelDrop, inAppBounce, poorLcp, rageClicks, ranked, unhelpfulArticle, type Insight } from '../insights.ts';
import { readable } from '../format.ts';
import { sitePath } from '../layout.tsx';
import { goalsOf } from '../../sites/goals.ts';
import { col, Table, Tile } from '../table.tsx';
import type { MessageKey } from '../messages.ts';
import type { Format } from '../format.ts';


/** The tiles, each with how it is written and whether a rise is good news. */
const KPIS: { key: MessageKey; value: (f: Figures) => number | null; write: (fmt: Format, n: number | null) => string; higherIsBetter: boolean }[] = [
  { key: 'kpi.visitors', value: (f) => f.visitors, write: (fmt, n) => fmt.number(n), higherIsBetter: true },
  { key: 'kpi.sessions', value: (f) => f.sessions, write: (fmt, n) => fmt.number(n), higherIsBetter: true },
  { key: 'kpi.pageviews', value: (f) => f.pageviews, write: (fmt, n) => fmt.number(n), higherIsBetter: true },
  { key: 'kpi.engagedSessions', value: (f) => f.engagedSessions, write: (fmt, n) => fmt.number(n), higherIsBetter: true },
  { key: 'kpi.bounceRate', value: (f) => f.bounceRate, write: (fmt, n) => fmt.percent(n), higherIsBetter: false },
  { key: 'kpi.avgEngagedTime', value: (f) => f.avgEngagedTimeMs, write: (fmt, n) => fmt.duration(n), higherIsBetter: true },
  { key: 'kpi.returningVisitors', value: (f) => f.returningVisitors, write: (fmt, n) => fmt.number(n), higherIsBetter: true },
  { key: 'kpi.nps', value: (f) => f.nps.score, write: (fmt, n) => fmt.number(n), higherIsBetter: true },
];

export async function overviewPage(p: PageContext) {
  const filters = filtersOf(p);
  const overview = p.report('overview', filters);
  const [report, live, insights] = await Promise.all([overview, realtimeVisitors(p.deps.db.driver, p.range.siteId, p.deps.now()), overview.then((o) => findInsights(p, filters, o))]);
  const { t, fmt } = p;
  const max = report.series.reduce((best, d) => (d.visitors > best.visitors ? d : best), report.series[0]!);
  return (
    <>
      <section class="card" aria-labelledby="realtime-h">
        <h2 id="realtime-h">{t('realtime.title')}</h2>
        <p><strong class="value" data-figure="realtime">{fmt.number(live)}</strong> {t('realtime.visitors')}</p>
      </section>
      <section class="card" aria-labelledby="insights-h">
        <h2 id="insights-h">{t('insights.title')}</h2>
        {insights.length === 0 ? <p class="muted">{t('insights.none')}</p> : (
          <ol class="insights">
            {insights.map((i) => (
              <li>
                {t(`insight.${i.kind}`, written(fmt, i.figures))}{' '}
                <a href={`${sitePath(p.range.siteId, i.page)}?${p.query}#${i.anchor}`}>{t('insights.evidence')}</a>
              </li>
            ))}
          </ol>
        )}
      </section>
      <FilterForm p={p} page="overview" filters={filters} />
      <section aria-labelledby="kpi-h">
        <h2 id="kpi-h" class="card-head">
          {t('range.shown', { from: fmt.day(report.from), to: fmt.day(report.to) })}
          <span class="muted">{t('range.previous', { from: fmt.day(report.previous.from), to: fmt.day(report.previous.to) })}</span>
        </h2>
        <dl class="tiles">
          {KPIS.map((k) => {
            const [now, before] = [k.value(report), k.value(report.previous)];
            const change = now === null || before === null ? '—' : fmt.change(now, before);
            const better = now !== null && before !== null && now !== before && now > before === k.higherIsBetter;
            return <Tile label={t(k.key)} value={k.write(fmt, now)} note={`${change} ${t('kpi.change')}`} tone={now === before || change === '—' ? undefined : better ? 'up' : 'down'} />;
          })}
        </dl>
        {hasFilters(filters) && <p class="note">{t('filter.note')}</p>}
        <p><a href={csvHref(p, 'overview', 'summary', filtersQuery(filters))} download>{t('csv')}<span class="muted"> ({t('nav.overview')})</span></a></p>
      </section>
      <section class="card" aria-labelledby="chart-h">
        <h2 id="chart-h">{t('chart.daily')}</h2>
        <DailyChart id="daily-chart" title={t('chart.daily')} desc={t('chart.desc', { from: fmt.day(report.from), to: fmt.day(report.to), max: max ? `${fmt.day(max.date)} (${fmt.number(max.visitors)})` : '—' })}
          points={report.series.map((d) => ({ date: d.date, bar: d.sessions, line: d.visitors }))} label={fmt.day} number={fmt.number} />
      </section>
      <Table id="daily" title={t('chart.daily')} t={t} fmt={fmt} rows={tables.series(report)} csv={csvHref(p, 'overview', 'series', filtersQuery(filters))}
        columns={[col('date', 'day'), col('visitors', 'number'), col('sessions', 'number'), col('pageviews', 'number'), col('engagedSessions', 'number')]}>
      </Table>
    </>
  );
}

/**
 * Every insight rule over the period (../insights.ts), strongest first, over the sessions the
 * filters keep (the site's own figures then being theirs). The funnel is the site's goals in their
 * declared order, when there are two or more.
 */
async function findInsights(p: PageContext, filters: Filters, overview: Figures): Promise<Insight[]> {
  const driver = p.deps.db.driver;
  const steps = goalsOf(p.c.get('site').settings).map((g) => (g.startsWith('/') ? g : `event:${g}`));
  const [pages, faq, networks, journeys] = await Promise.all([
    pageSignals(driver, p.range, filters),
    p.report('faq', filters),
    inAppNetworks(driver, p.range, filters),
    steps.length >= 2 ? p.report('journeys', { steps, ...filters }) : undefined,
  ]);
  return ranked([
    ...rageClicks(pages),
    ...poorLcp(pages),
    ...unhelpfulArticle(faq.articles),
    ...failedSearch(faq.searches),
    ...inAppBounce(networks, overview),
    ...funnelDrop(journeys?.funnel?.steps ?? []),
  ]);
}

/** An insight's figures as its sentence shows them: rates as percentages, times as "3.2", paths decoded. */
function written(fmt: Format, figures: Insight['figures']): Record<string, string> {
  const rates = new Set(['rate', 'site']);
  return Object.fromEntries(
    Object.entries(figures).map(([k, v]) => [k, typeof v === 'string' ? readable(v) : rates.has(k) ? fmt.percent(v) : fmt.number(k === 'times' ? Math.round(v * 10) / 10 : v)]),
  );
}

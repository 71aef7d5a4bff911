/**
 * Overview: KPI tiles with their change against the previous period, the daily chart, visitors of
 * the last five minutes, and the insights ("what to improve this period").
 */
import { tables, type OverviewFigures as Figures } from '../../reports/overview.ts';
import { DailyChart } from '../chart.tsx';
import { csvHref, type PageContext } from '../page.tsx';
import { realtimeVisitors } from '../queries.ts';
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
  { key: 'kpi.avgEngagedTime', value: (f) => f.avgEngagedSeconds * 1000, write: (fmt, n) => fmt.duration(n), higherIsBetter: true },
  { key: 'kpi.returningVisitors', value: (f) => f.returningVisitors, write: (fmt, n) => fmt.number(n), higherIsBetter: true },
  { key: 'kpi.nps', value: (f) => f.nps.score, write: (fmt, n) => fmt.number(n), higherIsBetter: true },
];

export async function overviewPage(p: PageContext) {
  const [report, live] = await Promise.all([p.report('overview'), realtimeVisitors(p.deps.db.driver, p.range.siteId, p.deps.now())]);
  const { t, fmt } = p;
  const max = report.series.reduce((best, d) => (d.visitors > best.visitors ? d : best), report.series[0]!);
  return (
    <>
      <section class="card" aria-labelledby="realtime-h">
        <h2 id="realtime-h">{t('realtime.title')}</h2>
        <p><strong class="value" data-figure="realtime">{fmt.number(live)}</strong> {t('realtime.visitors')}</p>
      </section>
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
        <p><a href={csvHref(p, 'overview', 'summary')} download>{t('csv')}<span class="muted"> ({t('nav.overview')})</span></a></p>
      </section>
      <section class="card" aria-labelledby="chart-h">
        <h2 id="chart-h">{t('chart.daily')}</h2>
        <DailyChart id="daily-chart" title={t('chart.daily')} desc={t('chart.desc', { from: fmt.day(report.from), to: fmt.day(report.to), max: max ? `${fmt.day(max.date)} (${fmt.number(max.visitors)})` : '—' })}
          points={report.series.map((d) => ({ date: d.date, bar: d.sessions, line: d.visitors }))} label={fmt.day} number={fmt.number} />
      </section>
      <Table id="daily" title={t('chart.daily')} t={t} fmt={fmt} rows={tables.series(report)} csv={csvHref(p, 'overview', 'series')}
        columns={[col('date', 'day'), col('visitors', 'number'), col('sessions', 'number'), col('pageviews', 'number'), col('engagedSessions', 'number')]}>
      </Table>
    </>
  );
}

/**
 * NPS: the score of the period against the previous one, its trend per day (each day against the
 * same day of the previous period when the view compares), and the visitors' comments (escaped
 * text, newest first) — the `nps` report of both periods.
 */
import { DailyChart } from '../chart.tsx';
import { readable } from '../format.ts';
import { FilterForm, filtersOf, filtersQuery } from '../filters.tsx';
import { csvHref, type PageContext } from '../page.tsx';
import { previousOf } from '../range.ts';
import { col, Table, Tile } from '../table.tsx';

export async function npsPage(p: PageContext) {
  const { t, fmt } = p;
  const filters = filtersOf(p);
  const [nps, previous] = await Promise.all([p.report('nps', filters), p.report('nps', filters, { ...p.range, ...previousOf(p.range) })]);
  const before = previous.score;
  // days without an answer stay in the table and chart as gaps, not as a score of 0
  const answered = (r: typeof nps) => r.series.filter((d) => d.responses > 0);
  const daily = answered(nps);
  const comments = nps.comments;
  return (
    <>
      <FilterForm p={p} page="nps" filters={filters} />
      <dl class="tiles">
        <Tile label={t('nps.score')} value={fmt.number(nps.score)} note={nps.score === null || before === null ? undefined : `${fmt.number(nps.score - before)} ${t('kpi.change')}`} />
        <Tile label={t('nps.responses')} value={fmt.number(nps.responses)} />
        <Tile label={t('nps.promoters')} value={fmt.number(nps.promoters)} note="9–10" />
        <Tile label={t('nps.detractors')} value={fmt.number(nps.detractors)} note="0–6" />
      </dl>
      <p><a href={csvHref(p, 'nps', 'series', filtersQuery(filters))} download>{t('csv')}<span class="muted"> ({t('nps.score')})</span></a></p>
      <section class="card" aria-labelledby="nps-trend-h">
        <h2 id="nps-trend-h">{t('section.npsTrend')}</h2>
        <DailyChart id="nps-chart" title={t('section.npsTrend')} desc={t('section.npsTrend')}
          points={daily.map((d) => ({ date: d.date, bar: d.responses, line: Math.max(0, d.score ?? 0) }))} label={fmt.day} number={fmt.number} />
      </section>
      <Table id="nps-daily" title={t('section.npsTrend')} t={t} fmt={fmt} rows={daily}
        compare={p.previous && { rows: answered(previous), key: dayInPeriod(p.range.from, previous.from) }}
        columns={[col('date', 'day'), col('score', 'number', { label: 'col.nps' }), col('responses', 'number')]} />
      <section class="card" aria-labelledby="comments-h">
        <h2 id="comments-h">{t('section.npsComments')}</h2>
        {comments.length === 0 ? <p class="muted">{t('nps.noComments')}</p> : comments.map((cm) => (
          <figure>
            <blockquote>{cm.comment}</blockquote>
            <figcaption class="muted">{fmt.number(cm.score)} · {fmt.time(cm.at)} · {readable(cm.path)}</figcaption>
          </figure>
        ))}
      </section>
    </>
  );
}

/**
 * A day's place in its period (0 = the first day), so that a day is compared with the same day of the
 * previous period; the two periods do not overlap, so a date says which one it is in.
 */
const dayInPeriod = (from: string, previousFrom: string) => (d: { date: string }) =>
  String((Date.parse(d.date) - Date.parse(d.date >= from ? from : previousFrom)) / 86_400_000);

/**
 * Usability: Web Vitals p75 per page, coloured by rating with the rating written too (never colour
 * alone); friction kinds and hot spots with their selectors; 404s; the slowest pages; mobile against
 * desktop.
 */
import { VITAL_NAMES } from '@kizuna/protocol';
import { DEVICE_CLASSES } from '../../lib/device.ts';
import { vitalKey } from '../../lib/vitals.ts';
import { tables, type Usability, type VitalFigure, type VitalName } from '../../reports/usability.ts';
import type { Format } from '../format.ts';
import { readable } from '../format.ts';
import type { MessageKey, Translate } from '../messages.ts';
import { FilterForm, filtersOf, filtersQuery } from '../filters.tsx';
import { csvHref, type PageContext } from '../page.tsx';
import { CardHead, col, Table } from '../table.tsx';

const vitalValue = (fmt: Format, metric: VitalName, v: number | null) => (v === null ? '—' : metric === 'CLS' ? fmt.number(v) : fmt.duration(v));

function Rated(props: { t: Translate; fmt: Format; metric: VitalName; figure: VitalFigure | undefined }) {
  const { figure } = props;
  if (!figure || figure.p75 === null || figure.rating === null) return <span class="rating rating-none">{props.t('rating.none')}</span>;
  return (
    <span class={`rating rating-${figure.rating}`}>
      {vitalValue(props.fmt, props.metric, figure.p75)} · {props.t(`rating.${figure.rating}` as MessageKey)}
    </span>
  );
}

/** Mobile against desktop: each metric's share of good samples over every page of the class (p75s of pages cannot be added up; counts can). */
function deviceRows(report: Usability) {
  return DEVICE_CLASSES.map((device) => {
    const pages = report.pages.filter((p) => p.device === device);
    const row: Record<string, string | number> = { device };
    for (const metric of VITAL_NAMES) {
      const figures = pages.map((p) => p.vitals[vitalKey(metric)]);
      const samples = figures.reduce((n, f) => n + f.samples, 0);
      row[`${metric}Good`] = samples ? figures.reduce((n, f) => n + f.good, 0) / samples : NaN;
      row[`${metric}Samples`] = samples;
    }
    return row;
  });
}

export async function usabilityPage(p: PageContext) {
  const filters = filtersOf(p);
  const [report, before] = await Promise.all([p.report('usability', filters), p.previous && p.report('usability', filters, p.previous)]);
  const compare = <R,>(rows: (r: typeof report) => readonly R[]) => before && { rows: rows(before) };
  const { t, fmt } = p;
  return (
    <>
      <FilterForm p={p} page="usability" filters={filters} />
      <section class="card" aria-labelledby="vitals-h">
        <CardHead id="vitals-h" title={t('section.vitals')} csv={csvHref(p, 'usability', 'pages', filtersQuery(filters))} t={t} />
        {report.pages.length === 0 ? (
          <p class="muted">{t('empty')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('col.path')}</th>
                <th scope="col">{t('col.device')}</th>
                {VITAL_NAMES.map((m) => <th scope="col">{m}</th>)}
              </tr>
            </thead>
            <tbody>
              {report.pages.map((page) => (
                <tr>
                  <td class="text">{readable(page.path)}</td>
                  <td>{t(`device.${page.device}` as MessageKey)}</td>
                  {VITAL_NAMES.map((m) => <td><Rated t={t} fmt={fmt} metric={m} figure={page.vitals[vitalKey(m)]} /></td>)}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="card" aria-labelledby="devices-h">
        <h2 id="devices-h">{t('section.devices')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('col.device')}</th>
              {VITAL_NAMES.map((m) => <th scope="col" class="num">{m} · {t('rating.good')}</th>)}
            </tr>
          </thead>
          <tbody>
            {deviceRows(report).map((row) => (
              <tr>
                <th scope="row">{t(`device.${row.device}` as MessageKey)}</th>
                {VITAL_NAMES.map((m) => <td class="num">{fmt.percent(row[`${m}Good`] as number)} <span class="muted">({fmt.number(row[`${m}Samples`] as number)})</span></td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <Table id="friction" title={t('section.friction')} t={t} fmt={fmt} rows={tables.friction(report)} csv={csvHref(p, 'usability', 'friction', filtersQuery(filters))} compare={compare(tables.friction)}
        columns={[col('kind'), col('count', 'number'), col('total', 'number')]} />
      <Table id="hotspots" title={t('section.hotSpots')} t={t} fmt={fmt} rows={tables.hotSpots(report)} csv={csvHref(p, 'usability', 'hotSpots', filtersQuery(filters))} compare={compare(tables.hotSpots)}
        columns={[col('path', 'path'), col('selector'), col('kind'), col('count', 'number'), col('total', 'number')]} />
      <Table id="notfound" title={t('section.notFound')} t={t} fmt={fmt} rows={tables.notFound(report)} csv={csvHref(p, 'usability', 'notFound', filtersQuery(filters))} compare={compare(tables.notFound)}
        columns={[col('path', 'path'), col('count', 'number')]} />
      <Table id="slowest" title={t('section.slowestPages')} t={t} fmt={fmt} rows={tables.slowestPages(report)} csv={csvHref(p, 'usability', 'slowestPages', filtersQuery(filters))} compare={compare(tables.slowestPages)}
        columns={[col('path', 'path'), col('device', 'text', { cell: (r) => t(`device.${r.device}` as MessageKey) }), col('lcpP75Ms', 'duration', { label: 'col.p75' }),
          col('rating', 'text', { cell: (r) => <span class={`rating rating-${r.rating}`}>{t(`rating.${r.rating}` as MessageKey)}</span> }), col('samples', 'number')]} />
    </>
  );
}

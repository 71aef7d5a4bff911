/**
 * Events: every custom event name (no goal declaration needed) with its count and visitors, and for
 * the most counted names the breakdown by each prop (its top values, the others summed). The CSV of
 * either table has every name.
 */
import { tables, type EventRow } from '../../reports/events.ts';
import { FilterForm, filtersOf, filtersQuery } from '../filters.tsx';
import { csvHref, type PageContext } from '../page.tsx';
import { col, Table } from '../table.tsx';

/** Names whose props the page spells out (the CSV holds them all). */
const SHOWN_BREAKDOWNS = 10;

export async function eventsPage(p: PageContext) {
  const { t, fmt } = p;
  const filters = filtersOf(p);
  const csv = (table: string) => csvHref(p, 'events', table, filtersQuery(filters));
  const [report, before] = await Promise.all([p.report('events', filters), p.previous && p.report('events', filters, p.previous)]);
  return (
    <>
      <FilterForm p={p} page="events" filters={filters} />
      <Table id="events" title={t('section.events')} t={t} fmt={fmt} rows={tables.events(report)} csv={csv('events')}
        compare={before && { rows: tables.events(before), key: (e: { name: string }) => e.name }}
        columns={[col('name'), col('count', 'number', { label: 'col.events' }), col('visitors', 'number')]} />
      {report.eventList.slice(0, SHOWN_BREAKDOWNS).filter((e) => e.props.length > 0).map((e, i) => <Breakdown p={p} event={e} index={i} csv={csv('props')} />)}
    </>
  );
}

function Breakdown(props: { p: PageContext; event: EventRow; index: number; csv: string }) {
  const { t, fmt } = props.p;
  const rows = props.event.props.flatMap((prop) => [
    ...prop.values.map((v) => ({ prop: prop.prop, value: v.value, count: v.count, visitors: v.visitors })),
    ...(prop.otherValues > 0 ? [{ prop: prop.prop, value: t('events.other', { n: fmt.number(prop.otherValues) }), count: prop.otherCount, visitors: prop.otherVisitors }] : []),
  ]);
  return (
    <Table id={`props-${props.index}`} title={`${t('section.props')}: ${props.event.name}`} t={t} fmt={fmt} rows={rows} csv={props.csv}
      columns={[col('prop'), col('value'), col('count', 'number', { label: 'col.events' }), col('visitors', 'number')]} />
  );
}

/** Acquisition: channels in GA4's order, social networks with their in-app share, search engines, AI assistants, campaigns, shares. */
import { tables, type SessionFigures } from '../../reports/acquisition.ts';
import { FilterForm, filtersOf, filtersQuery } from '../filters.tsx';
import { csvHref, type PageContext } from '../page.tsx';
import { col, Table, type Column } from '../table.tsx';
import type { MessageKey } from '../messages.ts';

type Rows<K extends keyof typeof tables> = ReturnType<(typeof tables)[K]>[number];
const outcomes = <R extends SessionFigures>(): Column<R>[] => [
  col<R>('sessions', 'number'),
  col<R>('visitors', 'number'),
  col<R>('engagedSessions', 'number'),
  col<R>('engagedRate', 'percent'),
  col<R>('conversions', 'number'),
];

export async function acquisitionPage(p: PageContext) {
  const filters = filtersOf(p);
  const [report, before] = await Promise.all([p.report('acquisition', filters), p.previous && p.report('acquisition', filters, p.previous)]);
  const section = <K extends keyof typeof tables>(table: K, title: MessageKey, columns: Column<Rows<K>>[]) => {
    // a row of the previous period is the one with the same text columns (channel, network, campaign …)
    const compare = before && { rows: tables[table](before) as Rows<K>[] };
    return <Table id={table} title={p.t(title)} t={p.t} fmt={p.fmt} rows={tables[table](report) as Rows<K>[]} columns={columns} compare={compare} csv={csvHref(p, 'acquisition', table, filtersQuery(filters))} />;
  };
  return (
    <>
      <FilterForm p={p} page="acquisition" filters={filters} />
      {section('channels', 'section.channels', [col('channel'), ...outcomes()])}
      {section('networks', 'section.networks', [col('network'), ...outcomes(), col('inAppSessions', 'number'), col('inAppShare', 'percent')])}
      {section('searchEngines', 'section.searchEngines', [col('searchEngine'), ...outcomes()])}
      {section('aiAssistants', 'section.aiAssistants', [col('aiAssistant'), ...outcomes()])}
      {section('campaigns', 'section.campaigns', [col('campaign'), col('source'), col('medium'), col('term'), col('content'), ...outcomes()])}
      {section('landingPages', 'section.landingPages', [col('path', 'path'), ...outcomes()])}
      {section('sharesByNetwork', 'section.shares', [col('network'), col('shares', 'number')])}
    </>
  );
}

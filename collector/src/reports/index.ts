/**
 * Every report of the report API (CONTRACT §4), by name: how to run it over a range and the tables
 * it is made of (each downloadable as CSV). The API (api/reports.ts), its parameter schemas
 * (api/params.ts) and the benchmarks read this list: adding a report is one entry here and its module.
 */
import type { Driver } from '../db/sql.ts';
import * as acquisition from './acquisition.ts';
import * as events from './events.ts';
import * as faq from './faq.ts';
import type { Filters } from './filters.ts';
import * as goals from './goals.ts';
import * as journeys from './journeys.ts';
import * as nps from './nps.ts';
import * as overview from './overview.ts';
import type { ReportRange } from './range.ts';
import type { Table } from './table.ts';
import * as usability from './usability.ts';
import * as visitors from './visitors.ts';

export interface Report<T, P> {
  run: (driver: Driver, range: ReportRange, params: P) => Promise<T>;
  /** the report's tables as flat rows, by name; the first is the default CSV */
  tables: Record<string, Table<T>>;
}

const report = <T, P = Record<string, never>>(def: Report<T, P>) => def;

export const REPORTS = {
  overview: report<overview.Overview, overview.OverviewParams>({ run: overview.overviewReport, tables: overview.tables }),
  acquisition: report<acquisition.Acquisition, Filters>({ run: acquisition.acquisitionReport, tables: acquisition.tables }),
  usability: report({ run: usability.usabilityReport, tables: usability.tables }),
  faq: report({ run: faq.faqReport, tables: faq.tables }),
  visitors: report<visitors.VisitorsReport, visitors.VisitorsParams>({ run: visitors.visitorsReport, tables: visitors.tables }),
  journeys: report<journeys.JourneysReport, journeys.JourneysParams>({ run: journeys.journeysReport, tables: journeys.tables }),
  goals: report<goals.GoalsReport, Filters>({ run: goals.goalsReport, tables: goals.tables }),
  events: report<events.EventsReport, events.EventsParams>({ run: events.eventsReport, tables: events.tables }),
  nps: report<nps.NpsReport, Filters>({ run: nps.npsReport, tables: nps.tables }),
};

export type ReportName = keyof typeof REPORTS;
export const REPORT_NAMES = Object.keys(REPORTS) as ReportName[];

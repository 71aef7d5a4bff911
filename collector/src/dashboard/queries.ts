/**
 * The few figures the dashboard reads that no report holds: visitors of the last five minutes, and
 * what the insights compare (per page: views, rage-click bursts, LCP samples; per network: in-app
 * sessions and how many engaged). Bound to the schema, rendered once, read from the rollups but for
 * the realtime count; the insights' figures with the filters as every report takes them (reports/filters.ts).
 */
import { sql } from 'drizzle-orm';
import { events, rollupFriction, rollupPages, rollupSources, rollupVitals } from '../db/schema.ts';
import type { InAppNetwork, PageSignal } from './insights.ts';
import type { FrictionKind } from '../reports/usability.ts';
import type { VitalName } from '../lib/vitals.ts';
import { as, query, type Driver } from '../db/sql.ts';
import { FRICTION, PAGE_VIEWS, SOURCES, VITALS } from '../aggregate/registry.ts';
import { overKept, rollupsOrFiltered, type Filters } from '../reports/filters.ts';
import { inRange, type ReportRange } from '../reports/range.ts';

export const REALTIME_MS = 5 * 60_000;

const REALTIME = query(
  sql`select count(distinct ${events.visitorId}) as visitors from ${events}
    where ${events.siteId} = ${sql.placeholder('site')} and ${events.ts} > ${sql.placeholder('since')}::timestamptz`,
  { visitors: as.number },
);

/** Distinct visitors with an event in the last {@link REALTIME_MS} (raw events: the rollups lag). */
export const realtimeVisitors = async (driver: Driver, siteId: string, now: number) =>
  (await REALTIME(driver, { site: siteId, since: new Date(now - REALTIME_MS).toISOString() }))[0]!.visitors;

const RAGE_CLICK: FrictionKind = 'rage_click';
const LCP: VitalName = 'LCP';
const PG = rollupPages;
const F = rollupFriction;
const VT = rollupVitals;
const PAGE_SIGNALS = rollupsOrFiltered(
  // subqueries, not a `with`: with filters the statement follows the expressions standing in for the rollups
  sql`select coalesce(views.path, rage.path, lcp.path) as path, coalesce(views.pageviews, 0) as pageviews,
      coalesce(rage.bursts, 0) as "rageBursts", coalesce(lcp.samples, 0) as "lcpSamples", coalesce(lcp.poor, 0) as "lcpPoor"
    from (select ${PG.path} as path, sum(${PG.pageviews}) as pageviews from ${PG} where ${inRange(PG)} group by ${PG.path}) views
    full join (select ${F.path} as path, sum(${F.events}) as bursts from ${F} where ${inRange(F)} and ${F.kind} = ${RAGE_CLICK} group by ${F.path}) rage
      on rage.path = views.path
    full join (select ${VT.path} as path, sum(${VT.samples}) as samples, sum(${VT.poor}) as poor from ${VT}
      where ${inRange(VT)} and ${VT.metric} = ${LCP} group by ${VT.path}) lcp on lcp.path = coalesce(views.path, rage.path)`,
  { path: as.text, pageviews: as.number, rageBursts: as.number, lcpSamples: as.number, lcpPoor: as.number },
  PAGE_VIEWS,
  FRICTION,
  VITALS,
);

/** Per page of the range: views, rage-click bursts, LCP samples and poor ones (the insights' rageClicks and poorLcp), of the sessions the filters keep. */
export const pageSignals = (driver: Driver, range: ReportRange, filters: Filters): Promise<PageSignal[]> =>
  overKept(driver, range, filters, (d) => PAGE_SIGNALS(d, range, filters));

const S = rollupSources;
const IN_APP = rollupsOrFiltered(
  sql`select ${S.network} as network, sum(${S.sessions}) as "inAppSessions", sum(${S.engagedSessions}) as "inAppEngaged"
    from ${S} where ${inRange(S)} and ${S.inApp} and ${S.network} <> '' group by ${S.network}`,
  { network: as.text, inAppSessions: as.number, inAppEngaged: as.number },
  SOURCES,
);

/** Per network: sessions in its in-app browser and how many engaged (the insights' inAppBounce), of the sessions the filters keep. */
export const inAppNetworks = (driver: Driver, range: ReportRange, filters: Filters): Promise<InAppNetwork[]> =>
  overKept(driver, range, filters, (d) => IN_APP(d, range, filters));

/**
 * Visitors: the engagement score table (segments and parts), sortable and paginated through the
 * URL; and one visitor's timeline — the customer journey across sessions, devices and channels.
 */
import { parseQuery, REPORT_PARAMS } from '../../api/params.ts';
import type { ScoreParts } from '../../aggregate/score.ts';
import { visitorTimeline } from '../../reports/visitor.ts';
import type { VisitorRow, VisitorSort, VisitorsParams } from '../../reports/visitors.ts';
import { FilterForm, filtersOf, filtersQuery } from '../filters.tsx';
import { readable } from '../format.ts';
import { sitePath } from '../layout.tsx';
import type { MessageKey, Translate } from '../messages.ts';
import { csvHref, type PageContext } from '../page.tsx';
import { viewQuery } from '../range.ts';
import { col, Table } from '../table.tsx';

const PAGE_SIZE = 50;

const Parts = (props: { t: Translate; parts: ScoreParts }) => (
  <ul class="parts">
    {Object.entries(props.parts).map(([k, v]) => <li>{props.t(`part.${k}` as MessageKey)} {v}</li>)}
  </ul>
);

/** A visitor id is a UUID or a hash: its first characters tell visitors apart in a table. */
const shortId = (id: string) => (id.length > 12 ? `${id.slice(0, 8)}…` : id);

export async function visitorsPage(p: PageContext) {
  const { t, fmt, c } = p;
  const params = parseQuery(REPORT_PARAMS.visitors, { ...c.req.query(), limit: String(PAGE_SIZE) }) as Required<VisitorsParams>;
  const filters = filtersOf(p);
  const report = await p.report('visitors', params);
  const site = p.range.siteId;
  // the filters (the visitors with a matching session) ride along in every link of the table
  const href = (extra: Record<string, string>) =>
    `${sitePath(site, 'visitors')}?${viewQuery(p.view, { ...filtersQuery(filters), sort: params.sort, order: params.order, ...extra })}`;
  // a second click on the sorted column turns the order round
  const sortHref = (sort: string) => href({ sort, order: params.sort === sort && params.order === 'desc' ? 'asc' : 'desc', offset: '0' });
  const by = (sort: VisitorSort) => ({ sort });
  const last = Math.min(params.offset + PAGE_SIZE, report.total);
  return (
    <>
    <FilterForm p={p} page="visitors" filters={filters} keep={{ sort: params.sort, order: params.order }} />
    <Table<VisitorRow> id="visitors" title={t('section.visitors')} t={t} fmt={fmt} rows={report.visitorList} sortHref={sortHref}
      csv={csvHref(p, 'visitors', 'visitors', { ...filtersQuery(filters), sort: params.sort, order: params.order, offset: String(params.offset), limit: String(PAGE_SIZE) })}
      columns={[
        col('visitorId', 'text', { label: 'col.visitor', cell: (r) => <a href={`${sitePath(site, 'visitors')}/${encodeURIComponent(r.visitorId)}?${p.query}`}>{shortId(r.visitorId)}</a> }),
        col('score', 'number', { cell: (r) => fmt.number(r.score.total), ...by('score') }),
        col('score', 'text', { label: 'col.segment', cell: (r) => t(`segment.${r.score.segment}` as MessageKey) }),
        col('score', 'text', { label: 'col.parts', cell: (r) => <Parts t={t} parts={r.score.parts} /> }),
        col('firstSeen', 'day', by('firstSeen')),
        col('lastSeen', 'day', by('lastSeen')),
        col('sessions', 'number', by('sessions')),
        col('pageviews', 'number', by('pageviews')),
        col('engagedTimeMs', 'duration', { label: 'col.engagedTime', ...by('engagedTimeMs') }),
        col('faqViews', 'number'),
        col('frictionEvents', 'number', { label: 'col.friction' }),
        col('firstSource', 'text', { cell: (r) => (r.firstSource ? `${r.firstSource.channel} / ${r.firstSource.source}` : '—') }),
        col('customerId', 'text', { label: 'col.customer' }),
      ]}>
      <nav class="pager" aria-label={t('pager.label')}>
        {params.offset > 0 && <a href={href({ offset: String(Math.max(0, params.offset - PAGE_SIZE)) })} rel="prev">{t('pager.previous')}</a>}
        <span>{report.total > 0 ? t('pager.shown', { first: fmt.number(params.offset + 1), last: fmt.number(last) }) : ''} / {fmt.number(report.total)}</span>
        {last < report.total && <a href={href({ offset: String(last) })} rel="next">{t('pager.next')}</a>}
      </nav>
    </Table>
    </>
  );
}

/** One visitor's timeline (the report API's `visitors/:id`). */
export async function visitorPage(p: PageContext) {
  const { c } = p;
  const { t, fmt } = p;
  const id = c.req.param('id') ?? '';
  const timeline = id.length <= 64 && !id.includes('\u0000') ? await visitorTimeline(p.deps.db.driver, p.range.siteId, id, p.deps.now()) : undefined;
  const back = <p><a href={`${sitePath(p.range.siteId, 'visitors')}?${p.query}`}>{t('visitor.back')}</a></p>;
  if (!timeline) return <>{back}<p class="error" role="alert">{t('visitor.unknown')}</p></>;
  return (
    <>
      {back}
      <section class="card" aria-labelledby="visitor-h">
        <h2 id="visitor-h">{t('visitor.title', { id: timeline.visitorId })}</h2>
        <dl class="tiles">
          <div class="tile"><dt>{t('visitor.score')}</dt><dd class="value">{fmt.number(timeline.score?.total)}</dd>{timeline.score && <dd>{t(`segment.${timeline.score.segment}` as MessageKey)}</dd>}</div>
          <div class="tile"><dt>{t('col.customer')}</dt><dd>{timeline.customerId ?? '—'}</dd></div>
          <div class="tile"><dt>{t('col.firstSeen')}</dt><dd>{fmt.time(timeline.firstSeen)}</dd></div>
          <div class="tile"><dt>{t('col.lastSeen')}</dt><dd>{fmt.time(timeline.lastSeen)}</dd></div>
        </dl>
        {timeline.score && <Parts t={t} parts={timeline.score.parts} />}
      </section>
      <h2>{t('section.timeline')}</h2>
      {timeline.sessionList.map((s) => (
        <Table id={`session-${s.id}`} title={`${fmt.time(s.start)} · ${t('visitor.session', { channel: s.channel, source: s.source || '—', device: s.visitorId })}`}
          t={t} fmt={fmt} rows={s.events} columns={[col('ts', 'time', { label: 'col.time' }), col('type'), col('path', 'path'), col('data', 'text', { label: 'col.value', cell: (e) => describe(e.data) })]} />
      ))}
    </>
  );
}

/** An event's data as one line of text (JSX escapes it), a custom event's props spelled out; URLs inside stay text. */
const describe = (data: Record<string, unknown>): string =>
  Object.entries(data)
    .map(([k, v]) =>
      typeof v === 'string' ? `${k}: ${readable(v)}` : v && typeof v === 'object' && !Array.isArray(v) ? describe(v as Record<string, unknown>) : `${k}: ${JSON.stringify(v)}`,
    )
    .join(' · ');

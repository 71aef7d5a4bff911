/**
 * What every report page is given and how it is answered: the view of its URL, the report range,
 * the reader's language and formats; `reportPage(name, body)` wraps a page's content in the frame
 * with the range picker, and turns a bad parameter into a 400 page that says which.
 */
import type { Child } from 'hono/jsx';
import type { Context } from 'hono';
import { parseRange } from '../api/params.ts';
import type { AppDeps } from '../deps.ts';
import { InvalidInput } from '../lib/errors.ts';
import { REPORTS, type ReportName } from '../reports/index.ts';
import type { ReportRange } from '../reports/range.ts';
import type { Driver } from '../db/sql.ts';
import { Frame, sitePath, type PageName } from './layout.tsx';
import { PRESETS, previousOf, VIEW_KEYS, viewOf, viewQuery, type View } from './range.ts';
import type { DashEnv } from './session.ts';
import type { MessageKey, Translate } from './messages.ts';
import type { Format } from './format.ts';

export interface PageContext {
  deps: AppDeps;
  c: Context<DashEnv>;
  t: Translate;
  fmt: Format;
  view: View;
  range: ReportRange;
  /** the view's query string (range, comparison), for links that keep it */
  query: string;
  /** the previous period, when the view compares (`compare=1`) */
  previous?: ReportRange;
  /** a report over the page's range (or another range), with its own parameters */
  report: <N extends ReportName>(name: N, params?: object, range?: ReportRange) => Promise<Awaited<ReturnType<(typeof REPORTS)[N]['run']>>>;
}

export type PageBody = (p: PageContext) => Promise<Child>;

export const render = (c: Context, body: Child, status: 200 | 400 | 403 | 404 | 405 = 200) => c.html(body as string, status);

export function reportPage(deps: AppDeps, page: PageName, body: PageBody) {
  return async (c: Context<DashEnv>) => {
    const site = c.get('site');
    const t = c.get('t');
    const view = viewOf(c.req.query(), deps.now(), site.timezone);
    const query = viewQuery(view);
    const frame = (content: Child, previous?: { from: string; to: string }) => (
      <Frame t={t} lang={c.get('lang')} url={c.req.url} site={site.id} sites={c.get('session').sites} page={page} query={query} csrf={c.get('session').csrf} title={t(`nav.${page}` as MessageKey)}>
        <RangePicker c={c} view={view} action={sitePath(site.id, page)} />
        {previous && <p class="note">{t('range.previous', { from: c.get('fmt').day(previous.from), to: c.get('fmt').day(previous.to) })}</p>}
        {content}
      </Frame>
    );
    try {
      const range = parseRange(site, { from: view.from, to: view.to }, deps.now());
      const report: PageContext['report'] = (name, params = {}, over = range) =>
        (REPORTS[name].run as (d: Driver, r: ReportRange, p: object) => Promise<never>)(deps.db.driver, over, params);
      const previous = view.compare ? { ...range, ...previousOf(range) } : undefined;
      return render(c, frame(await body({ deps, c, t, fmt: c.get('fmt'), view, range, previous, query, report }), previous));
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      return render(c, frame(<p class="error" role="alert">{t('error.badInput', { message: err.message })}</p>), 400);
    }
  };
}

/** The period form: presets, a custom from/to, the comparison; a GET, so the view stays in the URL. */
function RangePicker(props: { c: Context<DashEnv>; view: View; action: string }) {
  const t = props.c.get('t');
  const fmt = props.c.get('fmt');
  const { view } = props;
  return (
    <form class="range" method="get" action={props.action} aria-label={t('range.label')}>
      <div>
        <label for="range-preset">{t('range.preset')}</label>
        <select id="range-preset" name="range">
          {[...PRESETS, 'custom' as const].map((p) => (
            <option value={p} selected={p === view.range}>{t(`range.${p}` as MessageKey)}</option>
          ))}
        </select>
      </div>
      <div>
        <label for="range-from">{t('range.from')}</label>
        <input id="range-from" type="date" name="from" value={view.from} />
      </div>
      <div>
        <label for="range-to">{t('range.to')}</label>
        <input id="range-to" type="date" name="to" value={view.to} />
      </div>
      <div class="check">
        <input id="range-compare" type="checkbox" name="compare" value="1" checked={view.compare} />
        <label for="range-compare">{t('range.compare')}</label>
      </div>
      <button type="submit">{t('range.apply')}</button>
      <p class="muted">{t('range.shown', { from: fmt.day(view.from), to: fmt.day(view.to) })}</p>
    </form>
  );
}

/** The CSV of one table of a report over the page's range: the report API's answer, read through the session. */
export const csvHref = (p: PageContext, report: ReportName, table: string, extra: Record<string, string> = {}) =>
  `/dashboard/data/${encodeURIComponent(p.range.siteId)}/reports/${report}?${new URLSearchParams({ format: 'csv', table, from: p.range.from, to: p.range.to, ...extra })}`;

/** Hidden fields that carry the view (period, comparison) through a page's own GET form (funnel, filters). */
export const KeptView = (props: { c: Context }) => (
  <>{VIEW_KEYS.map((k) => props.c.req.query(k) !== undefined && <input type="hidden" name={k} value={props.c.req.query(k)} />)}</>
);

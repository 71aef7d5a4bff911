/**
 * The report filters on a page (CONTRACT §4: channel, network, device, country, landing page; the
 * reports that take them: reports/filters.ts): read from the page's URL with the report API's own
 * schema, a GET form that keeps the period, and the same query for the page's CSV links.
 */
import { filterQuery, parseQuery } from '../api/params.ts';
import { CHANNELS } from '../lib/channels.ts';
import { DEVICE_CLASSES } from '../lib/device.ts';
import { FILTERS, hasFilters, type Filters } from '../reports/filters.ts';
import { sitePath, type PageName } from './layout.tsx';
import type { MessageKey } from './messages.ts';
import { KeptView, type PageContext } from './page.tsx';

/** The filters of the page's URL (a bad one is a 400 naming it, as in the API). */
export const filtersOf = (p: PageContext): Filters =>
  parseQuery(filterQuery, Object.fromEntries(FILTERS.map((f) => [f, p.c.req.query(f) || undefined]))) as Filters;

/** The filters as query parameters (for the CSV links, which the report API filters the same way). */
export const filtersQuery = (filters: Filters) => Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as Record<string, string>;

/** Hidden fields that carry the filters through another GET form of the page (the funnel's). */
export const KeptFilters = (props: { filters: Filters }) => (
  <>{Object.entries(filtersQuery(props.filters)).map(([k, v]) => <input type="hidden" name={k} value={v} />)}</>
);

/** The filter form; `keep`: the page's own parameters it carries along (the funnel's steps). */
export function FilterForm(props: { p: PageContext; page: PageName; filters: Filters; keep?: Record<string, string | undefined> }) {
  const { t, c } = props.p;
  const { filters } = props;
  const action = sitePath(props.p.range.siteId, props.page);
  const text = (name: 'network' | 'country' | 'page', label: MessageKey) => (
    <div>
      <label for={`filter-${name}`}>{t(label)}</label>
      <input id={`filter-${name}`} name={name} value={c.req.query(name) ?? ''} maxlength={name === 'page' ? 2048 : 64} />
    </div>
  );
  return (
    <form class="range" method="get" action={action} aria-label={t('filter.title')}>
      <KeptView c={c} />
      {Object.entries(props.keep ?? {}).map(([k, v]) => v !== undefined && <input type="hidden" name={k} value={v} />)}
      <div>
        <label for="filter-channel">{t('filter.channel')}</label>
        <select id="filter-channel" name="channel">
          <option value="">{t('filter.all')}</option>
          {CHANNELS.map((ch) => <option value={ch} selected={ch === filters.channel}>{ch}</option>)}
        </select>
      </div>
      {text('network', 'filter.network')}
      <div>
        <label for="filter-device">{t('filter.device')}</label>
        <select id="filter-device" name="device">
          <option value="">{t('filter.all')}</option>
          {DEVICE_CLASSES.map((d) => <option value={d} selected={d === filters.device}>{t(`device.${d}`)}</option>)}
        </select>
      </div>
      {text('country', 'filter.country')}
      {text('page', 'filter.page')}
      <button type="submit">{t('filter.apply')}</button>
      {hasFilters(filters) && <a href={`${action}?${props.p.query}`}>{t('filter.clear')}</a>}
    </form>
  );
}

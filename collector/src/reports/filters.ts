/**
 * Report filters (CONTRACT §4): by the channel, network, device class, country and landing page of
 * a session. The day rollups do not keep every one of these dimensions, so a filtered report is
 * computed from the session-level tables (`sessions`, and `events` for what sessions do not sum)
 * within the range; without a filter a report reads its rollups as before.
 */
import { sql, type SQL } from 'drizzle-orm';
import { sessions, sites } from '../db/schema.ts';

export const FILTERS = ['channel', 'network', 'device', 'country', 'page'] as const;
export type FilterName = (typeof FILTERS)[number];
/** `page` is the session's landing page, folded as page paths are */
export type Filters = { [K in FilterName]?: string };

export const hasFilters = (f: Filters) => FILTERS.some((k) => f[k] !== undefined);

const p = (name: string) => sql.placeholder(name);
const S = sessions;

/** Each filter's column of `sessions`. */
const COLUMNS = { channel: S.channel, network: S.network, device: S.device, country: S.country, page: S.landingPath };

/** A session (a row of `sessions`) matches every given filter: a placeholder per filter, null when not filtered. */
export const sessionMatches = (): SQL =>
  sql.join(
    FILTERS.map((f) => sql`(${p(f)}::text is null or ${COLUMNS[f]} = ${p(f)}::text)`),
    sql` and `,
  );

/**
 * The sessions of the site that started within `from`–`to` (local days of the site's time zone)
 * and match every given filter: placeholders `site`, `from`, `to`, `timezone` and one per filter
 * (null: not filtered), so that the statement is rendered once ({@link filterValues} fills them).
 */
export const filteredSessions = (): SQL => sql`${S.siteId} = ${p('site')}
  and ${S.startedAt} >= (${p('from')}::date)::timestamp at time zone ${p('timezone')}::text
  and ${S.startedAt} < ((${p('to')}::date) + 1)::timestamp at time zone ${p('timezone')}::text
  and ${sessionMatches()}`;

/** The values of {@link filteredSessions}' filter placeholders. */
export const filterValues = (f: Filters) => Object.fromEntries(FILTERS.map((k) => [k, f[k] ?? null]));

/** The local day (`YYYY-MM-DD`, the site's time zone) a session started on. */
export const localDay = sql`to_char(${S.startedAt} at time zone ${p('timezone')}::text, 'YYYY-MM-DD')`;

/** The site's goals (custom event names and page paths), as the rollups read them (sites/goals.ts). */
export const siteGoals = sql`(select coalesce(${sites.settings}->'goals', '[]'::jsonb) from ${sites} where ${sites.id} = ${p('site')})`;

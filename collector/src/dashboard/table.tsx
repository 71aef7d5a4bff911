/**
 * A report table as the dashboard shows it: a section with its heading, the CSV link of the same
 * table of the report API, and one column per key of the report's rows, each written by its kind
 * (numbers right-aligned, paths decoded, URLs linked only when http(s)). Every value is text: JSX
 * escapes it.
 */
import type { Child } from 'hono/jsx';
import type { Format } from './format.ts';
import { readable, safeHref } from './format.ts';
import type { MessageKey, Translate } from './messages.ts';

export type ColumnKind = 'text' | 'path' | 'url' | 'number' | 'percent' | 'duration' | 'day' | 'time';

export interface Column<R> {
  key: keyof R & string;
  kind: ColumnKind;
  /** the header's message (default `col.<key>`) */
  label?: MessageKey;
  /** a cell of its own (a link, a rating) instead of the kind's */
  cell?: (row: R) => Child;
  /** the table's sort key this column's header links to (with the table's `sortHref`) */
  sort?: string;
}

/** A column; its header is the message `col.<key>` unless it names its label. */
export const col = <R,>(key: keyof R & string, kind: ColumnKind = 'text', more: Partial<Column<R>> = {}): Column<R> => ({ key, kind, ...more });

const NUMERIC: ColumnKind[] = ['number', 'percent', 'duration'];

export function cellText(fmt: Format, kind: ColumnKind, value: unknown): Child {
  if (value === null || value === undefined) return '—';
  switch (kind) {
    case 'number':
      return fmt.number(Number(value));
    case 'percent':
      return fmt.percent(Number(value));
    case 'duration':
      return fmt.duration(Number(value));
    case 'day':
      return fmt.day(String(value));
    case 'time':
      return fmt.time(value as string);
    case 'path':
      return readable(String(value));
    case 'url': {
      const href = safeHref(String(value));
      return href ? <a href={href} rel="noopener noreferrer nofollow">{readable(String(value))}</a> : readable(String(value));
    }
    default:
      return Array.isArray(value) ? value.map(String).join(' → ') : String(value);
  }
}

export interface TableProps<R> {
  id: string;
  title: string;
  t: Translate;
  fmt: Format;
  rows: readonly R[];
  columns: Column<R>[];
  /** the CSV of this table (the report API's, read through the session) */
  csv?: string;
  /**
   * the same table over the previous period: each figure shows its change against the row of the
   * same key (by default, the same text and path columns: channel, page, selector …)
   */
  compare?: { rows: readonly R[]; key?: (row: R) => string };
  /** the link of a header that sorts by its column's `sort` key (visitors) */
  sortHref?: (sort: string) => string;
  children?: Child;
}

export function Table<R>(props: TableProps<R>) {
  const { t, fmt, compare } = props;
  const keyOf = compare?.key ?? ((row: R) => props.columns.filter((c) => c.kind === 'text' || c.kind === 'path').map((c) => String(row[c.key])).join('\u0000'));
  const before = compare && new Map(compare.rows.map((r) => [keyOf(r), r as Record<string, unknown>]));
  const change = (row: R, key: string) => {
    const [now, then] = [(row as Record<string, unknown>)[key], before?.get(keyOf(row))?.[key]];
    return typeof now === 'number' && typeof then === 'number' ? fmt.change(now, then) : '—';
  };
  return (
    <section class="card" id={props.id} aria-labelledby={`${props.id}-h`}>
      <CardHead id={`${props.id}-h`} title={props.title} csv={props.csv} t={t} />
      {props.rows.length === 0 ? (
        <p class="muted">{t('empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              {props.columns.map((c) => {
                const label = t(c.label ?? (`col.${c.key}` as MessageKey));
                const href = c.sort && props.sortHref?.(c.sort);
                return (
                  <th scope="col" class={NUMERIC.includes(c.kind) ? 'num' : undefined}>
                    {href ? <a href={href} aria-label={t('sort.by', { column: label })}>{label}</a> : label}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr>
                {props.columns.map((c) => (
                  <td class={NUMERIC.includes(c.kind) ? 'num' : 'text'}>
                    {c.cell ? c.cell(row) : cellText(fmt, c.kind, (row as Record<string, unknown>)[c.key])}
                    {before && NUMERIC.includes(c.kind) && <span class="muted change"> ({change(row, c.key)})</span>}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.children}
    </section>
  );
}

/** A figure in a tile (inside a `<dl class="tiles">`), with a note such as its change. */
/** A card's heading (`id` for its `aria-labelledby`) and, when it has one, the link to its CSV. */
export const CardHead = (props: { id: string; title: string; csv?: string | false; t: Translate }) => (
  <div class="card-head">
    <h2 id={props.id}>{props.title}</h2>
    {props.csv && <a href={props.csv} download>{props.t('csv')}<span class="muted"> ({props.title})</span></a>}
  </div>
);

export const Tile = (props: { label: string; value: string; note?: string; tone?: 'up' | 'down' }) => (
  <div class="tile">
    <dt>{props.label}</dt>
    <dd class="value">{props.value}</dd>
    {props.note !== undefined && <dd class={props.tone}>{props.note}</dd>}
  </div>
);

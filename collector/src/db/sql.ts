/**
 * How the collector talks SQL. Every statement is drizzle — its query builder, or its `sql` template
 * with the schema's tables and columns interpolated (`${events.siteId}` renders `"events"."site_id"`),
 * so that a renamed or dropped column is a type error, not a runtime one.
 *
 * Rows of `sql` statements come back through {@link rows} with a decoder per column: the drivers
 * disagree (postgres.js hands bigints and timestamps over as strings, PGlite as numbers), and each
 * value is converted once, here, into the type the caller declared.
 */
import { fillPlaceholders, getTableColumns, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { PgDialect, type AnyPgColumn, type PgDatabase, type PgQueryResultHKT, type PgTable } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import type * as schema from './schema.ts';

/** The database or a transaction: every query function takes one. */
export type Executor = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * The same `sql` statements, run on the driver itself: what the ingest path uses. drizzle's session
 * adds its own work to every statement (on PGlite, per-query type parsers cost ~0.15 ms a statement,
 * measured), which the few statements of a stored batch need not pay. Rows come back as the driver
 * gives them; {@link rows} decodes them the same way.
 */
export interface Driver {
  execute(query: SQL): Promise<Record<string, unknown>[]>;
  /** runs a statement rendered once ({@link prepare}) with the values of its placeholders */
  run(statement: Prepared, values: Record<string, unknown>): Promise<Record<string, unknown>[]>;
  transaction<T>(fn: (tx: Driver) => Promise<T>): Promise<T>;
}

/** A statement rendered to text once, its parameters given by name at each run (`sql.placeholder`). */
export interface Prepared {
  sql: string;
  params: unknown[];
}

/** drizzle's or the driver's: what {@link execute} and {@link rows} run on. */
export type Runner = Executor | Driver;

const dialect = new PgDialect();
/** A statement as text and parameters. */
export const render = (query: SQL): Prepared => dialect.sqlToQuery(query);
/** Renders a statement with placeholders once, for {@link Driver.run}: the ingest path's statements are built at load. */
export const prepare = render;

type Query = (text: string, params: unknown[], prepared: boolean) => Promise<Record<string, unknown>[]>;

/** A driver from its one way to run text with parameters (`prepared`: the same text runs again and again), and its transactions. */
function driver(query: Query, begin: Driver['transaction']): Driver {
  return {
    execute: (statement) => {
      const { sql: text, params } = render(statement);
      return query(text, params, false);
    },
    run: (statement, values) => query(statement.sql, fillPlaceholders(statement.params, values), true),
    transaction: begin,
  };
}

export const pgliteDriver = (db: PGlite | Transaction): Driver =>
  driver(
    async (text, params) => (await db.query<Record<string, unknown>>(text, params)).rows,
    (fn) => (db as PGlite).transaction((tx) => fn(pgliteDriver(tx))),
  );

/**
 * postgres.js runs a statement of {@link prepare} as a named prepared statement, kept per
 * connection: one round trip per run instead of two (parse and describe, then bind and execute),
 * which was a third of the ingest path's time (profiled: the socket writes of describe round trips).
 */
export const postgresDriver = (client: postgres.Sql | postgres.TransactionSql): Driver =>
  driver(
    (text, params, prepared) => client.unsafe(text, params as never[], { prepare: prepared }) as unknown as Promise<Record<string, unknown>[]>,
    (fn) => (client as postgres.Sql).begin((tx) => fn(postgresDriver(tx))) as Promise<never>,
  );

export type Decoder<T> = (value: unknown) => T;

/** A timestamp as PostgreSQL prints it (`2026-11-10 21:00:00.5+09`) or as an ISO string or Date. */
function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  // PostgreSQL's `+09` offset lacks the minutes that ISO 8601 wants
  return new Date(/[+-]\d\d$/.test(text) ? `${text.replace(' ', 'T')}:00` : text.replace(' ', 'T'));
}

/** Decoders of result columns: what the value is, converted once. */
export const as = {
  /** any integer or numeric (counts and sums are bigint or numeric in PostgreSQL) */
  number: ((v) => Number(v)) as Decoder<number>,
  text: ((v) => String(v)) as Decoder<string>,
  bool: ((v) => v === true || v === 't' || v === 'true') as Decoder<boolean>,
  /** a timestamp, as a Date */
  date: toDate as Decoder<Date>,
  /** a `date` (local day), as `YYYY-MM-DD` */
  day: ((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10))) as Decoder<string>,
  /** jsonb / json, parsed once whatever the driver did */
  json: <T>() => ((v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as T) as Decoder<T>,
  /** a text[] */
  texts: ((v) => v as string[]) as Decoder<string[]>,
  /** the same decoder, or null */
  nullable: <T>(d: Decoder<T>): Decoder<T | null> => (v) => (v === null || v === undefined ? null : d(v)),
};

export type Shape = Record<string, Decoder<unknown>>;
export type RowOf<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

/** Runs a statement; its result rows, if any, are the driver's. */
export async function execute(ex: Runner, query: SQL): Promise<Record<string, unknown>[]> {
  const result = await ex.execute(query);
  return (Array.isArray(result) ? result : (result as unknown as { rows: Record<string, unknown>[] }).rows) ?? [];
}

/** The rows of a query, each column decoded by `shape` (its keys are the query's column names). */
export async function rows<S extends Shape>(ex: Runner, query: SQL, shape: S): Promise<RowOf<S>[]> {
  return decode(await execute(ex, query), shape);
}

/**
 * A query rendered once, at load, with named placeholders (`sql.placeholder('site')`): run on a
 * driver with their values, its rows decoded by `shape`. Report queries are these: rendering a
 * statement (drizzle's builder or template) costs more than running a small aggregate (measured:
 * 0.26 ms against 0.11 ms on PostgreSQL).
 */
export function query<S extends Shape>(statement: SQL, shape: S) {
  const prepared = prepare(statement);
  return async (driver: Driver, values: Record<string, unknown>): Promise<RowOf<S>[]> => decode(await driver.run(prepared, values), shape);
}

/**
 * Statements that vary (a funnel's number of steps, a sort, a rollup), each rendered once, the first
 * time it is asked for: `make`'s result per value of its arguments (one argument: itself as the key,
 * an object too; several: their values joined).
 */
export function perVariant<A extends unknown[], T>(make: (...args: A) => T): (...args: A) => T {
  const made = new Map<unknown, T>();
  return (...args: A) => {
    const key = args.length === 1 ? args[0] : args.join(' ');
    if (!made.has(key)) made.set(key, make(...args));
    return made.get(key)!;
  };
}

/** Raw rows, each column decoded by `shape`. */
export function decode<S extends Shape>(raw: Record<string, unknown>[], shape: S): RowOf<S>[] {
  const keys = Object.keys(shape);
  return raw.map((r) => {
    const row: Record<string, unknown> = {};
    for (const k of keys) row[k] = shape[k]!(r[k]);
    return row as RowOf<S>;
  });
}

/** The first row of a query (aggregates have exactly one). */
export async function row<S extends Shape>(ex: Runner, query: SQL, shape: S): Promise<RowOf<S> | undefined> {
  return (await rows(ex, query, shape))[0];
}

/** A column's bare name, where PostgreSQL wants it unqualified (an INSERT's column list, `using (…)`). */
export const name = (column: AnyPgColumn) => sql.identifier(column.name);

/** `("a", "b", …)`: the bare names of columns. */
export const names = (...columns: AnyPgColumn[]) => sql`(${sql.join(columns.map(name), sql`, `)})`;

/** A value for a timestamp parameter (postgres.js passes Dates through untouched under drizzle). */
export const instant = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;

/** Parameters as one JSON text: a list of any length is one parameter, expanded in SQL. */
export const jsonParam = (value: unknown) => sql`${JSON.stringify(value)}::json`;

type ColumnsOf<T extends PgTable> = T['_']['columns'];

/**
 * `insert into table (c1, c2 …) select e1, e2 … <rest>`: each column written beside the expression
 * that fills it, so the two lists cannot drift apart.
 */
export function insertSelect<T extends PgTable>(
  table: T,
  values: { [K in keyof ColumnsOf<T>]?: SQLWrapper | string | number | boolean | null },
  rest: SQL,
): SQL {
  const columns = table as unknown as Record<string, AnyPgColumn>;
  const keys = Object.keys(values);
  const expressions = keys.map((k) => {
    const v = (values as Record<string, unknown>)[k];
    return typeof v === 'object' && v !== null ? (v as SQLWrapper) : sql`${v}`;
  });
  return sql`insert into ${table} ${names(...keys.map((k) => columns[k]!))} select ${sql.join(expressions, sql`, `)} ${rest}`;
}

type InsertOf<T extends PgTable> = T['$inferInsert'];

/**
 * `insert into table (constant columns…, record columns…) select $1, $2…, t.c1, t.c2… from
 * json_to_recordset($rows) as t(c1 type, …)`: many rows in one statement and one parameter, typed by
 * the schema's columns. `constants` are the same for every row (the site, the visitor); `rows` give
 * the other columns by their schema names. Append `on conflict …` as needed.
 */
export function insertRecords<T extends PgTable, K extends keyof InsertOf<T> & string>(
  table: T,
  constants: Partial<Record<keyof InsertOf<T> & string, unknown>>,
  keys: readonly K[],
  rows: readonly Pick<InsertOf<T>, K>[] | SQLWrapper,
): SQL {
  const columns = getTableColumns(table) as Record<string, AnyPgColumn>;
  const fixed = Object.keys(constants);
  const record = keys.map((k) => columns[k]!);
  return sql`insert into ${table} ${names(...fixed.map((k) => columns[k]!), ...record)}
    select ${sql.join([...fixed.map((k) => sql`${(constants as Record<string, unknown>)[k]}::${sql.raw(columns[k]!.getSQLType())}`), ...record.map((c) => sql`t.${name(c)}`)], sql`, `)}
    from ${recordset(table, keys, rows)}`;
}

/**
 * `update table set c = t.c … from json_to_recordset($rows) as t(…) where table.k = t.k …`: many rows
 * updated in one statement and one parameter. A row updates the row whose `match` columns all equal
 * its own (its id, and whatever must not have changed since it was read); `set` are written.
 * Returns the updated rows' `match` columns.
 */
export function updateRecords<T extends PgTable, M extends keyof InsertOf<T> & string, S extends keyof InsertOf<T> & string>(
  table: T,
  match: readonly M[],
  set: readonly S[],
  rows: readonly Pick<InsertOf<T>, M | S>[],
): SQL {
  const columns = getTableColumns(table) as Record<string, AnyPgColumn>;
  const assignments = set.map((k) => sql`${name(columns[k]!)} = t.${name(columns[k]!)}`);
  const matches = match.map((k) => sql`${columns[k]!} = t.${name(columns[k]!)}`);
  return sql`update ${table} set ${sql.join(assignments, sql`, `)} from ${recordset(table, [...match, ...set], rows)}
    where ${sql.join(matches, sql` and `)} returning ${sql.join(match.map((k) => columns[k]!), sql`, `)}`;
}

/** `json_to_recordset($rows) as t(c1 type, …)`: rows of a table as one JSON parameter, typed by the schema's columns. */
function recordset<T extends PgTable, K extends keyof InsertOf<T> & string>(
  table: T,
  keys: readonly K[],
  rows: readonly Pick<InsertOf<T>, K>[] | SQLWrapper,
): SQL {
  const columns = getTableColumns(table) as Record<string, AnyPgColumn>;
  const json = Array.isArray(rows) ? recordsJson(table, keys, rows) : rows;
  const types = sql.join(keys.map((k) => sql`${name(columns[k]!)} ${sql.raw(columns[k]!.getSQLType())}`), sql`, `);
  return sql`json_to_recordset(${json}::json) as t(${types})`;
}

/** Rows of a table as the JSON text {@link insertRecords} reads: each row's `keys` by their column names. */
export function recordsJson<T extends PgTable, K extends keyof InsertOf<T> & string>(
  table: T,
  keys: readonly K[],
  rows: readonly Pick<InsertOf<T>, K>[],
): string {
  const columns = getTableColumns(table) as Record<string, AnyPgColumn>;
  const columnNames = keys.map((k) => columns[k]!.name);
  return JSON.stringify(rows.map((r) => Object.fromEntries(keys.map((k, i) => [columnNames[i]!, r[k]]))));
}

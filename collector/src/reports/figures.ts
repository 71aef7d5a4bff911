/** Aggregates as report fields: typed, and converted once from the driver's bigint or numeric. */
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/** An aggregate that is a count (bigint): a number. */
export const count = (expression: SQL) => expression.mapWith(Number) as SQL<number>;

/** The sum of a column over the rows, 0 when there are none. */
export const total = (column: AnyPgColumn | SQL) => count(sql`coalesce(sum(${column}), 0)`);

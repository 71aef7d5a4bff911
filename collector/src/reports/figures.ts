/** Report fields: sums as numbers (the driver's bigint or numeric converted once, db/sql.ts `as`). */
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/** The sum of a column over the rows, 0 when there are none. */
export const total = (column: AnyPgColumn | SQL) => sql`coalesce(sum(${column}), 0)`;

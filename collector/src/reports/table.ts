/**
 * A report's table, downloadable as CSV (`table=`, CONTRACT §4): its columns, named once, and its
 * rows from the report. The columns do not depend on the rows, so a table without rows still has
 * its header; the type holds every row to every column, and the API's test holds the rows to no
 * other key (collector/src/api/reports.test.ts).
 */
import { toCsv } from '../lib/csv.ts';

export type Table<T, R extends object = object> = ((report: T) => readonly R[]) & { readonly columns: readonly string[] };

/** A row with (at least) the columns `C`. */
export type Row<C extends readonly string[]> = { readonly [K in C[number]]: unknown };

export function table<T, const C extends readonly string[], R extends Row<C>>(columns: C, rows: (report: T) => readonly R[]): Table<T, R> {
  return Object.assign((report: T) => rows(report), { columns });
}

/** The table of a report as CSV, its header first. */
export const tableCsv = <T>(t: Table<T>, report: T) => toCsv(t.columns, t(report));

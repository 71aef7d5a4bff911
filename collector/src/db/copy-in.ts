/**
 * COPY … FROM STDIN, the fastest way rows reach PostgreSQL (TOOLCHAIN.md): its text format, and a
 * stream into it on a postgres.js client or transaction. Bulk loads (store/bulk.ts) and the copy of a
 * database (./copy.ts) write their rows through these.
 */
import { once } from 'node:events';
import type postgres from 'postgres';

/** COPY text format: backslash, tab, newline and carriage return escaped; null is \N. */
const SPECIAL = /[\\\t\n\r]/;
const escape = (text: string) =>
  SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : text;

/** One value as COPY's text format reads it: a string is taken as the column type's text input. */
function encode(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escape(value);
  return escape(JSON.stringify(value)); // jsonb
}

/** One row, its values in the order of the COPY statement's columns. */
export const copyLine = (values: readonly unknown[]) => values.map(encode).join('\t') + '\n';

export interface CopySink {
  /** resolves when the stream can take more (back-pressure); rejects with PostgreSQL's error */
  write(chunk: string): Promise<void>;
  /** ends the COPY: resolves once PostgreSQL has stored every row, rejects with its error */
  end(): Promise<void>;
  /** abandons the COPY (PostgreSQL is told, and fails the statement): its connection can roll back */
  fail(error: Error): void;
}

/**
 * `statement from stdin` (`copy "t" ("a", "b")`) on a client — a pooled connection of its own, one
 * transaction — or inside a transaction, whose rows they then are.
 */
export async function copyIn(client: postgres.Sql | postgres.TransactionSql, statement: string): Promise<CopySink> {
  const stream = await client.unsafe(`${statement} from stdin`).writable();
  const done = new Promise<void>((resolve, reject) => stream.on('finish', resolve).on('error', reject));
  done.catch(() => {}); // awaited in end(); a failure also surfaces from write
  return {
    async write(chunk) {
      if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), done]);
    },
    async end() {
      stream.end();
      await done;
    },
    fail(error) {
      stream.destroy(error);
    },
  };
}

/** Telling a database that cannot be reached from a statement that failed. */
import { Unavailable } from '../lib/errors.ts';

/**
 * Errors that mean the database cannot be reached now (refused, reset, shut down, too many
 * connections, PGlite closed) — not that the statement is wrong — whether thrown by the driver or
 * wrapped by drizzle (its `cause`).
 */
export function isUnreachable(error: unknown): boolean {
  const e = error as { code?: string; errno?: string; message?: string; cause?: unknown } | undefined;
  if (!e || typeof e !== 'object') return false;
  const code = String(e.code ?? e.errno ?? '');
  return (
    /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|CONNECTION_\w+|CONNECT_TIMEOUT)$/.test(code) ||
    /^(08|57P0|53300)/.test(code) || // connection exception, admin shutdown / crash / cannot connect now, too many connections
    e instanceof Unavailable ||
    /PGlite is closed/i.test(e.message ?? '') ||
    (e.cause !== undefined && e.cause !== e && isUnreachable(e.cause))
  );
}

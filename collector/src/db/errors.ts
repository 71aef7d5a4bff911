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

/**
 * Why a database could not be opened, in one line naming DATABASE_URL (never its password), when the
 * cause is one an operator fixes in that setting; undefined for any other error. drizzle wraps the
 * driver's error as `Failed query: CREATE SCHEMA …`, which says nothing: the cause does.
 */
export function describeOpenError(error: unknown, url: string): string | undefined {
  const e = rootCause(error) as { code?: string; message?: string };
  const u = new URL(url);
  const where = `${u.hostname}:${u.port || 5432}`;
  const database = decodeURIComponent(u.pathname.slice(1)) || decodeURIComponent(u.username) || 'postgres';
  const why: Record<string, string> = {
    ECONNREFUSED: `connection refused at ${where} (is PostgreSQL running there?)`,
    ENOTFOUND: `host ${u.hostname} not found`,
    EAI_AGAIN: `host ${u.hostname} not found`,
    ETIMEDOUT: `no answer from ${where}`,
    CONNECT_TIMEOUT: `no answer from ${where}`,
    '28P01': `authentication failed for user "${decodeURIComponent(u.username)}" at ${where}`,
    '28000': `authentication failed for user "${decodeURIComponent(u.username)}" at ${where}`,
    '3D000': `database "${database}" does not exist at ${where} (create it: createdb ${database})`,
  };
  const reason = why[String(e?.code)];
  return reason ? `DATABASE_URL: ${reason}` : undefined;
}

function rootCause(error: unknown): unknown {
  let e = error as { cause?: unknown } | undefined;
  // postgres.js reports a refused connection as an AggregateError of its attempts (IPv6, IPv4)
  while (e && typeof e === 'object' && ((e as { code?: string }).code === undefined || e instanceof AggregateError)) {
    const next = e instanceof AggregateError ? e.errors[0] : e.cause;
    if (!next || next === e) break;
    e = next as typeof e;
  }
  return e;
}

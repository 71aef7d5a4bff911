/** Opening a database that cannot be opened says what failed, naming DATABASE_URL, never its password. */
import { expect, it } from 'vitest';
import { ConfigError } from '../lib/errors.ts';
import { describeOpenError } from './errors.ts';
import { openDb } from './index.ts';

const URL_ = 'postgres://kz:s3cret@db.internal:6543/analytics';
const wrapped = (cause: object) => Object.assign(new Error('Failed query: CREATE SCHEMA IF NOT EXISTS "drizzle"'), { cause });

it('describes refused, unknown host, auth and missing database, through drizzle’s wrapping', () => {
  expect(describeOpenError(wrapped({ code: 'ECONNREFUSED' }), URL_)).toBe('DATABASE_URL: connection refused at db.internal:6543 (is PostgreSQL running there?)');
  expect(describeOpenError(wrapped(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })])), URL_)).toMatch(/connection refused/);
  expect(describeOpenError(wrapped({ code: 'ENOTFOUND' }), URL_)).toBe('DATABASE_URL: host db.internal not found');
  expect(describeOpenError(wrapped({ code: '28P01' }), URL_)).toBe('DATABASE_URL: authentication failed for user "kz" at db.internal:6543');
  expect(describeOpenError(wrapped({ code: '3D000' }), URL_)).toMatch(/^DATABASE_URL: database "analytics" does not exist at db.internal:6543/);
  expect(describeOpenError(wrapped({ code: '42601' }), URL_)).toBeUndefined();
  for (const code of ['ECONNREFUSED', '28P01', '3D000']) expect(describeOpenError(wrapped({ code }), URL_)).not.toContain('s3cret');
});

it('refuses to open a PostgreSQL that refuses connections, with one line', async () => {
  const error = await openDb({ url: 'postgres://kz:pw@127.0.0.1:1/kz' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as Error).message).toBe('DATABASE_URL: connection refused at 127.0.0.1:1 (is PostgreSQL running there?)');
});

it.runIf(process.env.DATABASE_URL)('names a missing database and failed authentication on a real PostgreSQL', async () => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = '/kz_no_such_database';
  await expect(openDb({ url: url.href })).rejects.toThrow(/^DATABASE_URL: database "kz_no_such_database" does not exist/);
  const bad = new URL(process.env.DATABASE_URL!);
  bad.username = 'kz_no_such_user';
  bad.password = 'wrong';
  // a server that trusts local connections answers "role does not exist" (28000) instead of a password failure (28P01)
  await expect(openDb({ url: bad.href })).rejects.toThrow(/^DATABASE_URL: authentication failed for user "kz_no_such_user"/);
});

/** Report API tokens: a token reads the reports of one site; only a SHA-256 of it is kept. */
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/sql.ts';
import { tokens } from '../db/schema.ts';
import { NotFound } from '../lib/errors.ts';
import { getSite } from './index.ts';

/** Creates a bearer token that reads one site's reports. */
export async function createToken(ex: Executor, siteId: string): Promise<string> {
  if (!(await getSite(ex, siteId))) throw new NotFound(`unknown site: ${siteId}`);
  const token = `kz_${randomBytes(24).toString('base64url')}`;
  await ex.insert(tokens).values({ hash: hashToken(token), siteId });
  return token;
}

/** The sites a bearer token may read. */
export async function sitesOfToken(ex: Executor, token: string): Promise<string[]> {
  const rows = await ex.select({ siteId: tokens.siteId }).from(tokens).where(eq(tokens.hash, hashToken(token)));
  return rows.map((r) => r.siteId);
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

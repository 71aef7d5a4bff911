/**
 * Report API tokens: a token reads the reports of one site; only a SHA-256 of it is kept. A token is
 * named by the first 12 hex digits of that hash (its id: `token list`, `token revoke`), which tells
 * nothing of the token itself. Expired tokens are refused; the last use is recorded to the minute.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, like, lt, or } from 'drizzle-orm';
import type { Executor } from '../db/sql.ts';
import { tokens } from '../db/schema.ts';
import { invalid, NotFound } from '../lib/errors.ts';
import { getSite } from './index.ts';

const ID_LENGTH = 12;
const DAY_MS = 86_400_000;

export interface TokenInput {
  siteId: string;
  label?: string;
  /** `30d` (days from now) or `YYYY-MM-DD` (the start of that day, UTC); none: never expires */
  expires?: string;
}

/** Creates a bearer token that reads one site's reports. */
export async function createToken(ex: Executor, siteIdOrInput: string | TokenInput, now = Date.now()): Promise<string> {
  const input = typeof siteIdOrInput === 'string' ? { siteId: siteIdOrInput } : siteIdOrInput;
  const expiresAt = input.expires === undefined ? null : expiryOf(input.expires, now);
  const label = input.label ?? '';
  if (label.length > 200) throw invalid('label', 'at most 200 characters');
  if (!(await getSite(ex, input.siteId))) throw new NotFound(`unknown site: ${input.siteId}`);
  const token = `kz_${randomBytes(24).toString('base64url')}`;
  await ex.insert(tokens).values({ hash: hashToken(token), siteId: input.siteId, label, expiresAt });
  return token;
}

function expiryOf(value: string, now: number): Date {
  const days = /^(\d{1,4})d$/.exec(value);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  const at = days ? now + Number(days[1]) * DAY_MS : date;
  if (!Number.isFinite(at) || at <= now) throw invalid('expires', `expected a number of days such as 30d or a future date YYYY-MM-DD, got "${value}"`);
  return new Date(at);
}

export interface TokenInfo {
  id: string;
  siteId: string;
  label: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

/** Every token, oldest first, without the token (it is not kept). */
export async function listTokens(ex: Executor): Promise<TokenInfo[]> {
  const rows = await ex.select().from(tokens).orderBy(asc(tokens.createdAt));
  return rows.map(({ hash, ...t }) => ({ id: hash.slice(0, ID_LENGTH), ...t }));
}

/** Deletes the token of this id (a prefix of its hash); returns its site. */
export async function revokeToken(ex: Executor, id: string): Promise<string> {
  if (!/^[0-9a-f]{6,64}$/.test(id)) throw invalid('id', `expected a token id from \`kizuna token list\`, got "${id}"`);
  const found = await ex.select({ hash: tokens.hash }).from(tokens).where(like(tokens.hash, `${id}%`));
  if (found.length === 0) throw new NotFound(`no token ${id}`);
  if (found.length > 1) throw invalid('id', `${id} names ${found.length} tokens: give more of it`);
  const [gone] = await ex.delete(tokens).where(eq(tokens.hash, found[0]!.hash)).returning({ siteId: tokens.siteId });
  return gone!.siteId;
}

/**
 * The sites a bearer token may read (none once it has expired). Records its use when the last
 * recorded one is a minute old or more: one write a minute per token, not one per request.
 *
 * Not compared in constant time, and it need not be: the token is never compared, its SHA-256 is
 * looked up. How long the index lookup takes can tell at most how many leading bytes of a guess's
 * hash some stored hash shares, and no one can steer a guess towards a given hash (pre-image
 * resistance), so timing leaks nothing that brings a token closer; the tokens are 192 random bits.
 */
export async function sitesOfToken(ex: Executor, token: string, now = Date.now()): Promise<string[]> {
  const hash = hashToken(token);
  const rows = await ex.select().from(tokens).where(eq(tokens.hash, hash));
  const live = rows.filter((r) => !r.expiresAt || r.expiresAt.getTime() > now);
  if (live.some((r) => !r.lastUsedAt || r.lastUsedAt.getTime() <= now - 60_000)) {
    const minuteAgo = new Date(now - 60_000);
    await ex
      .update(tokens)
      .set({ lastUsedAt: new Date(now) })
      .where(and(eq(tokens.hash, hash), or(isNull(tokens.lastUsedAt), lt(tokens.lastUsedAt, minuteAgo))));
  }
  return live.map((r) => r.siteId);
}

/** The SHA-256 a token is stored and looked up by (dashboard sessions and links are kept by it too). */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Sites and report tokens: what the CLI manages and the API checks. */
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from './db/index.ts';
import { sites, tokens } from './db/schema.ts';

export interface Site {
  id: string;
  origins: string[];
  timezone: string;
  retentionDays: number;
  settings: unknown;
}

export interface SiteInput {
  id: string;
  origins: string[];
  timezone?: string;
}

/** Registers a site, or updates its origins and time zone when it exists. */
export async function addSite(db: Db, input: SiteInput): Promise<Site> {
  const timezone = input.timezone ?? 'UTC';
  if (!isTimeZone(timezone)) throw new Error(`unknown time zone: ${timezone}`);
  const origins = input.origins.map(normalizeOrigin);
  const [row] = await db.orm
    .insert(sites)
    .values({ id: input.id, origins, timezone })
    .onConflictDoUpdate({ target: sites.id, set: { origins, timezone } })
    .returning();
  return row!;
}

export async function getSite(db: Db, id: string): Promise<Site | undefined> {
  const [row] = await db.orm.select().from(sites).where(eq(sites.id, id));
  return row;
}

export async function listSites(db: Db): Promise<Site[]> {
  return db.orm.select().from(sites);
}

/** Creates a bearer token that reads one site's reports; only its hash is stored. */
export async function createToken(db: Db, siteId: string): Promise<string> {
  if (!(await getSite(db, siteId))) throw new Error(`unknown site: ${siteId}`);
  const token = `kz_${randomBytes(24).toString('base64url')}`;
  await db.orm.insert(tokens).values({ hash: hashToken(token), siteId });
  return token;
}

/** The sites a bearer token may read. */
export async function sitesOfToken(db: Db, token: string): Promise<string[]> {
  const rows = await db.orm.select({ siteId: tokens.siteId }).from(tokens).where(eq(tokens.hash, hashToken(token)));
  return rows.map((r) => r.siteId);
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** `https://Example.com/path` → `https://example.com`: CORS compares origins exactly. */
export function normalizeOrigin(origin: string): string {
  return new URL(origin).origin;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Dashboard sign-in (issue #16): a browser signs in with a report token (or a one-time link the CLI
 * prints) and gets a session. Only SHA-256 hashes of the session cookie and of the link's secret are
 * stored, so secrets are compared by hash lookup, never character by character. A session ends when
 * it is idle for {@link IDLE_MS}, {@link ABSOLUTE_MS} after sign-in, or with its token: a revoked
 * token deletes its sessions (foreign key, cascade), an expired one stops reading them.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, lt, or, sql } from 'drizzle-orm';
import { dashboardLinks, dashboardSessions, tokens } from '../db/schema.ts';
import type { Executor } from '../db/sql.ts';
import { hashToken } from './tokens.ts';

const MINUTE = 60_000;
/** A session unused for this long is signed out. */
export const IDLE_MS = 12 * 60 * MINUTE;
/** A session is signed out this long after sign-in, used or not. */
export const ABSOLUTE_MS = 7 * 24 * 60 * MINUTE;
/** A one-time sign-in link works once, within this time. */
export const LINK_MS = 15 * MINUTE;

export interface DashboardSession {
  /** the sites its token reads (one per token today; the switcher lists them all) */
  sites: string[];
  csrf: string;
}

const secret = () => randomBytes(32).toString('base64url');
const live = (now: number) => sql`(${tokens.expiresAt} is null or ${tokens.expiresAt} > ${new Date(now)})`;

/** The live token with this hash, if any. */
async function liveToken(ex: Executor, tokenHash: string, now: number) {
  const [row] = await ex.select({ hash: tokens.hash }).from(tokens).where(and(eq(tokens.hash, tokenHash), live(now)));
  return row?.hash;
}

/** Opens a session for a token hash: returns the cookie's value (kept only as its hash). */
async function openSession(ex: Executor, tokenHash: string, now: number): Promise<string> {
  const cookie = secret();
  const at = new Date(now);
  await ex.insert(dashboardSessions).values({ hash: hashToken(cookie), tokenHash, csrf: secret(), createdAt: at, seenAt: at });
  // sessions past their end are of no use to anyone: sweep them with each sign-in
  await ex
    .delete(dashboardSessions)
    .where(or(lt(dashboardSessions.seenAt, new Date(now - IDLE_MS)), lt(dashboardSessions.createdAt, new Date(now - ABSOLUTE_MS))));
  return cookie;
}

/** Signs in with a report token: the session cookie's value, or undefined for an unknown, revoked or expired token. */
export async function signIn(ex: Executor, token: string, now = Date.now()): Promise<string | undefined> {
  const tokenHash = await liveToken(ex, hashToken(token.trim()), now);
  return tokenHash && openSession(ex, tokenHash, now);
}

/**
 * A one-time sign-in link for the holder of a report token (the CLI prints it at the demo's start):
 * the path to append to the collector's origin, valid once within {@link LINK_MS}.
 */
export async function createSignInLink(ex: Executor, token: string, now = Date.now()): Promise<string> {
  const tokenHash = await liveToken(ex, hashToken(token), now);
  if (!tokenHash) throw new Error('no live report token for this sign-in link');
  const link = secret();
  await ex.insert(dashboardLinks).values({ hash: hashToken(link), tokenHash, expiresAt: new Date(now + LINK_MS) });
  return `/dashboard/sign-in/${link}`;
}

/** Uses a one-time link (deleted as it is read, so a second use finds nothing): the session cookie's value, or undefined. */
export async function signInWithLink(ex: Executor, link: string, now = Date.now()): Promise<string | undefined> {
  const [used] = await ex.delete(dashboardLinks).where(eq(dashboardLinks.hash, hashToken(link))).returning();
  if (!used || used.expiresAt.getTime() <= now) return undefined;
  const tokenHash = await liveToken(ex, used.tokenHash, now);
  return tokenHash && openSession(ex, tokenHash, now);
}

/**
 * The session of a cookie, or undefined when it is unknown, idle or old past its end, or its token
 * is gone or expired. Records the use at most once a minute (the idle expiry counts from it).
 */
export async function sessionOf(ex: Executor, cookie: string, now = Date.now()): Promise<DashboardSession | undefined> {
  const hash = hashToken(cookie);
  const [row] = await ex
    .select({ csrf: dashboardSessions.csrf, seenAt: dashboardSessions.seenAt, createdAt: dashboardSessions.createdAt, siteId: tokens.siteId })
    .from(dashboardSessions)
    .innerJoin(tokens, eq(tokens.hash, dashboardSessions.tokenHash))
    .where(and(eq(dashboardSessions.hash, hash), live(now)));
  if (!row || row.seenAt.getTime() <= now - IDLE_MS || row.createdAt.getTime() <= now - ABSOLUTE_MS) return undefined;
  if (row.seenAt.getTime() <= now - MINUTE) await ex.update(dashboardSessions).set({ seenAt: new Date(now) }).where(eq(dashboardSessions.hash, hash));
  return { sites: [row.siteId], csrf: row.csrf };
}

/** Ends a session (sign out). */
export async function signOut(ex: Executor, cookie: string): Promise<void> {
  await ex.delete(dashboardSessions).where(eq(dashboardSessions.hash, hashToken(cookie)));
}

/** Whether a form's CSRF field is the session's, compared in constant time. */
export function csrfMatches(session: DashboardSession, sent: unknown): boolean {
  if (typeof sent !== 'string') return false;
  const [a, b] = [Buffer.from(session.csrf), Buffer.from(sent)];
  return a.length === b.length && timingSafeEqual(a, b);
}

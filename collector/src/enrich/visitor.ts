/**
 * Cookieless visitors (DEFINITIONS): `hash(daily salt, site, IP, user agent)`. The salt changes at
 * 00:00 UTC and the old one is deleted at once by the maintenance job (`forgetOldSalts`, armed for
 * 00:00 UTC: not when the first event of the new day comes, which may be hours later), so no one,
 * us included, can link two days of one person. While a day's salt exists the hash is
 * pseudonymous: whoever holds the salt could test guesses of an IP. The IP is used here and nowhere
 * else; it is never stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import { salts } from '../db/schema.ts';
import type { Executor } from '../db/sql.ts';

export function createVisitorHasher(ex: Executor) {
  let current: { day: string; salt: Buffer } | undefined;

  async function saltOf(day: string): Promise<Buffer> {
    if (current?.day === day) return current.salt;
    // Every collector process agrees on one salt per day: the first insert wins.
    await ex.insert(salts).values({ day, salt: randomBytes(32) }).onConflictDoNothing();
    const [row] = await ex.select({ salt: salts.salt }).from(salts).where(eq(salts.day, day));
    current = { day, salt: Buffer.from(row!.salt) };
    return current.salt;
  }

  return async function visitorHash(site: string, ip: string, userAgent: string, now: number): Promise<string> {
    const salt = await saltOf(utcDay(now));
    return createHash('sha256').update(salt).update(`\0${site}\0${ip}\0${userAgent}`).digest('base64url').slice(0, 22);
  };
}

/** Deletes every salt of a day before today (UTC): yesterday's hashes can no longer be linked or tested. */
export async function forgetOldSalts(ex: Executor, now: number): Promise<void> {
  await ex.delete(salts).where(lt(salts.day, utcDay(now)));
}

const utcDay = (now: number) => new Date(now).toISOString().slice(0, 10);

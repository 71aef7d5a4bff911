/**
 * Cookieless visitors (DEFINITIONS): `hash(daily salt, site, IP, user agent)`. The salt changes at
 * 00:00 UTC and the old one is deleted, so no one, us included, can link two days of one person.
 * The IP is used here and nowhere else; it is never stored.
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
    await ex.delete(salts).where(lt(salts.day, day));
    const [row] = await ex.select({ salt: salts.salt }).from(salts).where(eq(salts.day, day));
    current = { day, salt: Buffer.from(row!.salt) };
    return current.salt;
  }

  return async function visitorHash(site: string, ip: string, userAgent: string, now: number): Promise<string> {
    const salt = await saltOf(new Date(now).toISOString().slice(0, 10));
    return createHash('sha256').update(salt).update(`\0${site}\0${ip}\0${userAgent}`).digest('base64url').slice(0, 22);
  };
}

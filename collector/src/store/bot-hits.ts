/** Bot and crawler hits (DEFINITIONS): counted per site and day, never stored as visitors. */
import { sql } from 'drizzle-orm';
import { markDirty } from '../db/rollup-queue.ts';
import { botHits } from '../db/schema.ts';
import { execute, name, names, type Driver } from '../db/sql.ts';

export async function countBotHit(driver: Driver, siteId: string, day: string): Promise<void> {
  await driver.transaction(async (tx) => {
    await execute(tx, sql`insert into ${botHits} ${names(botHits.siteId, botHits.day, botHits.hits)} values (${siteId}, ${day}::date, 1)
      on conflict ${names(botHits.siteId, botHits.day)} do update set ${name(botHits.hits)} = ${botHits.hits} + 1`);
    // rollup_days shows the day's bot hits
    await markDirty(tx, siteId, [day]);
  });
}

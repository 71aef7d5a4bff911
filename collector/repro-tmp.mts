import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openDb } from './src/db/index.ts';
import { createApp } from './src/app.ts';
import { addSite } from './src/sites/index.ts';
import { refreshRollups } from './src/aggregate/rollups.ts';
import { execute } from './src/db/sql.ts';
const db = await openDb({ dataDir: '/tmp/kz-repro-' + Date.now() });
await addSite(db.sql, { id: 'f.example', origins: ['https://f.example'] });
const app = createApp({ db, rateLimit: { perSecond: 1e9, burst: 1e9 } });
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const n = Number(process.argv[2] ?? 200);
for (let b = 0; b < n; b++) {
  const now = Date.now();
  const events = Array.from({ length: 5 }, (_, i) => ({ id: randomUUID(), type: i === 0 ? 'pageview' : 'custom', ts: now - (5 - i) * 100, url: `https://f.example/p/${i}`, referrer: null, title: 'F', data: i === 0 ? { vw: 1280 } : { name: 'Click' } }));
  await app.request('/api/v1/events', { method: 'POST', body: JSON.stringify({ site: 'f.example', visitor: randomUUID(), session: 's', sentAt: now, events }), headers: { 'content-type': 'text/plain', origin: 'https://f.example', 'user-agent': UA } });
}
if (process.argv[3] === 'analyze') await execute(db.sql, sql`analyze`);
const t1 = Date.now();
await refreshRollups(db, {});
console.log(`${n} batches ${process.argv[3] ?? ''}: rollup ${Date.now() - t1} ms`);
await db.close();

/**
 * PostgreSQL restarted twice under load (fast shutdown: connections cut): while it is down the
 * collector answers 503 with Retry-After at once, it recovers by itself when the database is back,
 * its process stays alive, and no acknowledged event is lost or stored twice.
 *
 *   npx tsx bench/faults/pg-restart.ts [--seconds 5] [--connections 20]
 */
import { num, parseArgs } from '../lib.ts';
import { sleep, startLoad } from './lib.ts';
import { collectorOnPrivatePostgres } from './postgres.ts';

const args = parseArgs();
const seconds = num(args, 'seconds', 5);
const connections = num(args, 'connections', 20);

const { pg, server, alive, verdict } = await collectorOnPrivatePostgres();
let ok = false;
try {
  const load = startLoad({ url: () => server.url, connections, eventsPerBatch: 5 });
  const ackedAt: number[] = [];
  for (let restart = 1; restart <= 2; restart++) {
    await sleep(seconds * 1000);
    const before = load.acked.size;
    pg.stop('fast');
    console.error(`restart #${restart}: PostgreSQL stopped after ${before} acknowledged events`);
    await sleep(2000);
    pg.start();
    ackedAt.push(load.acked.size);
  }
  await sleep(seconds * 1000);
  await load.stop();
  const recovered = load.acked.size > ackedAt.at(-1)!;
  const ready = (await fetch(`${server.url}/ready`)).status === 200;
  const aliveAtEnd = alive();
  ok = await verdict('PostgreSQL restarted ×2 under load', load);
  const refused = load.statuses.get(503) ?? 0;
  console.log(`  503 while down: ${refused} · recovered by itself: ${recovered} · /ready afterwards: ${ready} · process alive throughout: ${aliveAtEnd}`);
  ok = ok && refused > 0 && recovered && ready && aliveAtEnd;
} finally {
  pg.destroy();
}
process.exit(ok ? 0 : 1);

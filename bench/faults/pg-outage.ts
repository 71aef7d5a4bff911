/**
 * PostgreSQL stopped for 10 s at low traffic: the collector must not wedge (a pool that never
 * reconnects while /health says 200): requests are refused with 503 while the database is down and
 * stored again within seconds of its return, /ready follows, and nothing acknowledged is lost.
 *
 *   npx tsx bench/faults/pg-outage.ts [--outage 10]
 */
import { num, parseArgs } from '../lib.ts';
import { sleep, startLoad } from './lib.ts';
import { collectorOnPrivatePostgres } from './postgres.ts';

const args = parseArgs();
const outage = num(args, 'outage', 10);

const { pg, server, alive, verdict } = await collectorOnPrivatePostgres();
let ok = false;
try {
  // about 4 requests a second: each of the pool's connections meets the outage on its own
  const load = startLoad({ url: () => server.url, connections: 2, eventsPerBatch: 3, pace: 2 });
  await sleep(3000);
  pg.stop('immediate');
  const readyDown = (await fetch(`${server.url}/ready`)).status;
  await sleep(outage * 1000);
  const ackedBefore = load.acked.size;
  pg.start();
  const back = Date.now();
  while (load.acked.size === ackedBefore && Date.now() - back < 30_000) await sleep(100);
  const recoveredMs = Date.now() - back;
  await sleep(3000);
  const readyUp = (await fetch(`${server.url}/ready`)).status;
  await load.stop();
  const aliveAtEnd = alive();
  ok = await verdict(`PostgreSQL down ${outage} s at low traffic`, load);
  const recovered = load.acked.size > ackedBefore;
  console.log(
    `  /ready while down: ${readyDown} · first event stored ${(recoveredMs / 1000).toFixed(1)} s after the database came back · ` +
      `/ready after: ${readyUp} · process alive throughout: ${aliveAtEnd}`,
  );
  ok = ok && recovered && recoveredMs < 15_000 && readyDown === 503 && readyUp === 200 && aliveAtEnd;
} finally {
  pg.destroy();
}
process.exit(ok ? 0 : 1);

/**
 * `pnpm kizuna <command>`: manage sites and tokens, run the collector or the demo.
 *
 *   kizuna serve
 *   kizuna site add <id> --origin <url> [--origin <url> …] [--timezone Asia/Tokyo]
 *   kizuna site list
 *   kizuna token create --site <id>
 *   kizuna reclassify --site <id> --from <YYYY-MM-DD> [--to <YYYY-MM-DD>]
 *   kizuna demo [--demo-port 8788] [--traffic 300]
 */
import { parseArgs } from 'node:util';
import { openDb } from './db/index.ts';
import { startDemo } from './demo/index.ts';
import { sendTraffic } from './demo/traffic.ts';
import { readEnv } from './env.ts';
import { availableParallelism } from 'node:os';
import { isPrimary, runPrimary } from './cluster.ts';
import { guardProcess, startServer, stopOnSignal } from './server.ts';
import { addSite, listSites } from './sites/index.ts';
import { createToken } from './sites/tokens.ts';
import { describeReclassified, reclassify } from './aggregate/reclassify.ts';
import { Progress } from './lib/progress.ts';

const USAGE = `usage:
  kizuna serve [--workers <n>]                   run the collector (PORT, HOST, DATABASE_URL); on PostgreSQL
                                                 one worker per core by default
  kizuna site add <id> --origin <url> [--timezone <tz>]
  kizuna site list
  kizuna token create --site <id>
  kizuna reclassify --site <id> --from <YYYY-MM-DD> [--to <YYYY-MM-DD>]
                                                 classify the sessions of those days (site time zone,
                                                 default to today) again with the current acquisition
                                                 rules, and recompute their days' reports
  kizuna demo [--demo-port <port>] [--traffic <visitors>]
                                                 collector + demo site on the embedded database,
                                                 with realistic traffic of that many visitors`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    origin: { type: 'string', multiple: true },
    timezone: { type: 'string' },
    site: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'demo-port': { type: 'string' },
    traffic: { type: 'string' },
    workers: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const env = readEnv();
const openEnvDb = () => openDb(env.databaseUrl ? { url: env.databaseUrl } : { dataDir: env.dataDir });
const [command, sub, arg] = positionals;

async function main(): Promise<number> {
  if (values.help || !command) return console.log(USAGE), values.help ? 0 : 1;
  if (command === 'serve') {
    // one worker per core on PostgreSQL; PGlite is one process
    const workers = values.workers === undefined ? (env.databaseUrl ? availableParallelism() : 1) : Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new Error(`--workers: expected a number from 1 to 64, got ${values.workers}`);
    if (workers > 1 && !env.databaseUrl) throw new Error('--workers: the embedded database is one process; set DATABASE_URL to run several');
    if (workers > 1 && isPrimary()) {
      console.log(`Kizuna collector: ${workers} workers on http://${env.host}:${env.port}`);
      return runPrimary(workers);
    }
    guardProcess();
    const server = await startServer(env);
    console.log(`Kizuna collector listening on ${server.url}${isPrimary() ? '' : ` (worker ${process.pid})`}`);
    return stopOnSignal(() => server.close());
  }
  if (command === 'demo') {
    const demo = await startDemo(env, Number(values['demo-port'] ?? 8788));
    console.log(`
  Kizuna demo is running.
    Demo site:   ${demo.siteUrl}/          (open it, click around)
    Collector:   ${demo.collector.url}
    Script:      ${demo.collector.url}/kizuna.js
    Report:      curl -H 'Authorization: Bearer ${demo.token}' ${demo.collector.url}/api/v1/sites/${demo.siteId}/reports/overview
  Ctrl-C stops it; data stays in ${env.dataDir}.
`);
    if (values.traffic) {
      const sent = await sendTraffic({ collectorUrl: demo.collector.url, siteId: demo.siteId, origin: demo.siteUrl, visitors: Number(values.traffic) });
      console.log(`  traffic: ${sent.sessions} sessions, ${sent.events} events sent, ${sent.refused} refused`);
    }
    return stopOnSignal(() => demo.close());
  }
  const db = await openEnvDb();
  try {
    if (command === 'site' && sub === 'add' && arg && values.origin?.length) {
      const site = await addSite(db.sql, { id: arg, origins: values.origin, timezone: values.timezone });
      console.log(`site ${site.id}: origins ${site.origins.join(', ')}, time zone ${site.timezone}`);
      return 0;
    }
    if (command === 'site' && sub === 'list') {
      for (const s of await listSites(db.sql)) console.log(`${s.id}\t${s.timezone}\t${s.origins.join(' ')}`);
      return 0;
    }
    if (command === 'token' && sub === 'create' && values.site) {
      console.log(await createToken(db.sql, values.site));
      return 0;
    }
    if (command === 'reclassify' && values.site && values.from) {
      let progress: Progress | undefined;
      const onProgress = (n: number, total: number) => (progress ??= new Progress('reclassify', total, 'sessions')).update(n);
      const done = await reclassify(db, { siteId: values.site, from: values.from, to: values.to, onProgress });
      progress?.finish(done.sessions);
      for (const line of describeReclassified(done, values.from)) console.log(line);
      return 0;
    }
    console.error(USAGE);
    return 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`kizuna: ${err.message}`);
    process.exit(1);
  },
);

/**
 * `pnpm kizuna <command>`: manage sites and tokens, run the collector or the demo.
 *
 *   kizuna serve
 *   kizuna site add <id> --origin <url> [--origin <url> …] [--timezone Asia/Tokyo]
 *   kizuna site list
 *   kizuna site retention <id> --days <n>
 *   kizuna erase --site <id> (--visitor <id> | --customer <id>)
 *   kizuna token create --site <id>
 *   kizuna reclassify --site <id> --from <YYYY-MM-DD> [--to <YYYY-MM-DD>]
 *   kizuna demo [--demo-port 8788] [--traffic 300]
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { isPrimary, runPrimary } from './cluster.ts';
import { readEnv } from './env.ts';
import type { Progress } from './lib/progress.ts';
// The application is imported by the command that needs it: a cluster's primary only starts and
// restarts workers, and stays small without it (80 MB of RSS instead of 170).

const USAGE = `usage:
  kizuna serve [--workers <n>]                   run the collector (PORT, HOST, DATABASE_URL); on PostgreSQL
                                                 one worker per core by default
  kizuna site add <id> --origin <url> [--timezone <tz>]
  kizuna site list
  kizuna site retention <id> --days <n>          keep raw events, sessions, visitors and rollups with
                                                 text that many days (1 to 3650; default 400)
  kizuna erase --site <id> (--visitor <id> | --customer <id>)
                                                 erase a person everywhere; prints what went
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
    days: { type: 'string' },
    visitor: { type: 'string' },
    customer: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const env = readEnv();
const openEnvDb = async () => (await import('./db/index.ts')).openDb(env.databaseUrl ? { url: env.databaseUrl } : { dataDir: env.dataDir });
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
    const { guardProcess, startServer, stopOnSignal } = await import('./server.ts');
    guardProcess();
    const server = await startServer(env);
    console.log(`Kizuna collector listening on ${server.url}${isPrimary() ? '' : ` (worker ${process.pid})`}`);
    return stopOnSignal(() => server.close());
  }
  if (command === 'demo') {
    const [{ startDemo }, { sendTraffic }, { stopOnSignal }] = await Promise.all([import('./demo/index.ts'), import('./demo/traffic.ts'), import('./server.ts')]);
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
  const [db, { addSite, listSites }, { createToken }, { setRetention }, { erase }, { describeReclassified, reclassify }, { Progress }] = await Promise.all([
    openEnvDb(),
    import('./sites/index.ts'),
    import('./sites/tokens.ts'),
    import('./sites/retention.ts'),
    import('./aggregate/erase.ts'),
    import('./aggregate/reclassify.ts'),
    import('./lib/progress.ts'),
  ]);
  try {
    if (command === 'site' && sub === 'add' && arg && values.origin?.length) {
      const site = await addSite(db.sql, { id: arg, origins: values.origin, timezone: values.timezone });
      console.log(`site ${site.id}: origins ${site.origins.join(', ')}, time zone ${site.timezone}`);
      return 0;
    }
    if (command === 'site' && sub === 'retention' && arg && values.days) {
      const days = await setRetention(db.sql, arg, Number(values.days));
      console.log(`site ${arg}: raw events, sessions, visitors and rollups with text kept ${days} days`);
      return 0;
    }
    if (command === 'erase' && values.site && (values.visitor || values.customer)) {
      const person = values.customer ? { customerId: values.customer } : { visitorId: values.visitor! };
      console.log(JSON.stringify(await erase(db, values.site, person)));
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

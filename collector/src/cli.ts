/**
 * `pnpm kizuna <command>`: manage sites and tokens, run the collector or the demo (`kizuna --help`,
 * `kizuna site --help`; the commands and their flags: ./cli/spec.ts).
 *
 * On the embedded database a command goes through the collector running on the data folder when
 * there is one (./cli/lock.ts, ./cli/admin.ts), else opens the folder itself, holding its lock
 * meanwhile; on PostgreSQL (DATABASE_URL) it opens the database, as many processes may.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { isPrimary, runPrimary } from './cluster.ts';
import { readEnv, type Env } from './env.ts';
import { parse, UsageError, type Op } from './cli/spec.ts';
import type { OpResult } from './cli/ops.ts';
// The application is imported by the command that needs it: a cluster's primary only starts and
// restarts workers, and stays small without it (80 MB of RSS instead of 170).

async function main(argv: string[]): Promise<number> {
  const parsed = parse(argv);
  if ('help' in parsed) return console.log(parsed.help), 0;
  const { op } = parsed;
  const env = readEnv();
  if (op.name === 'serve') return serve(env, op.args.workers as string | undefined);
  if (op.name === 'demo') return demo(env, op.args as { demoPort?: string; traffic?: string });
  if (op.name === 'sri') {
    const [{ integrityLines }, { SDK_DIST }] = await Promise.all([import('./api/sdk-script.ts'), import('./deps.ts')]);
    for (const line of await integrityLines(SDK_DIST, op.args.endpoint as string)) console.log(line);
    return 0;
  }
  if (op.name.startsWith('db.')) return database(env, op);
  const result = await run(env, op);
  for (const line of result.lines) console.log(line);
  return 0;
}

async function serve(env: Env, workersFlag: string | undefined): Promise<number> {
  // one worker per core on PostgreSQL; PGlite is one process
  const workers = workersFlag === undefined ? (env.databaseUrl ? availableParallelism() : 1) : Number(workersFlag);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError(`--workers: expected a number from 1 to 64, got ${workersFlag}`);
  if (workers > 1 && !env.databaseUrl) throw new UsageError('--workers: the embedded database is one process; set DATABASE_URL to run several');
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

async function demo(env: Env, args: { demoPort?: string; traffic?: string }): Promise<number> {
  const [{ startDemo }, { sendTraffic }, { stopOnSignal }, { fmtDuration, fmtInt }, { createSignInLink }] = await Promise.all([
    import('./demo/index.ts'),
    import('./demo/traffic.ts'),
    import('./server.ts'),
    import('./lib/progress.ts'),
    import('./sites/dashboard-sessions.ts'),
  ]);
  const demoPort = Number(args.demoPort ?? 8788);
  if (!Number.isInteger(demoPort) || demoPort < 0 || demoPort > 65535) throw new UsageError(`--demo-port: expected a port number, got ${args.demoPort}`);
  const running = await startDemo(env, demoPort);
  const { seed } = running;
  const seeded = seed.seeded
    ? `Seeded four weeks of traffic through the events endpoint: ${fmtInt(seed.visitors)} visitors, ${fmtInt(seed.sessions)} sessions, ${fmtInt(seed.accepted)} events (${fmtDuration(seed.ms)}).`
    : 'The database had data: nothing seeded.';
  // a link that signs the newcomer in once, within 15 minutes, with the demo's report token
  const signIn = running.collector.url + (await createSignInLink(running.collector.db.sql, running.token));
  console.log(`
  Kizuna demo is running.
    Dashboard:   ${signIn}
                 (signs you in once, within 15 minutes; later: ${running.collector.url}/dashboard with the token below)
    Demo site:   ${running.siteUrl}/          (open it, click around)
    Collector:   ${running.collector.url}
    Script:      ${running.collector.url}/kizuna.js
    Report API:  curl -H 'Authorization: Bearer ${running.token}' '${running.collector.url}/api/v1/sites/${running.siteId}/reports/overview'
  ${seeded}
  Ctrl-C stops it; data stays in ${env.databaseUrl ? 'the database of DATABASE_URL' : env.dataDir}.
`);
  if (args.traffic) {
    const sent = await sendTraffic({ collectorUrl: running.collector.url, siteId: running.siteId, origin: running.siteUrl, visitors: Number(args.traffic) });
    console.log(`  traffic: ${sent.sessions} sessions, ${sent.events} events sent, ${sent.refused} refused`);
  }
  return stopOnSignal(() => running.close());
}

/** `kizuna db …`: the embedded database's folder copied into PostgreSQL, backed up or restored (./cli/db.ts). */
async function database(env: Env, op: Op): Promise<number> {
  const { backupFolder, copyToPostgres, restoreFolder } = await import('./cli/db.ts');
  const a = op.args as { data?: string; to: string; from: string; force: boolean };
  const here = (dir: string) => path.resolve(env.cwd, dir);
  const dataDir = a.data ? here(a.data) : env.dataDir;
  const lines =
    op.name === 'db.copy'
      ? await copyToPostgres(dataDir, a.to, a.force)
      : op.name === 'db.backup'
        ? await backupFolder(dataDir, here(a.to))
        : await restoreFolder(dataDir, here(a.from), a.force);
  for (const line of lines) console.log(line);
  return 0;
}

/** Runs a command on the database: through the running collector, or on the database opened here. */
async function run(env: Env, op: Op): Promise<OpResult> {
  if (!env.databaseUrl) {
    const { acquireLock, settledHolder } = await import('./cli/lock.ts');
    const lock = acquireLock(env.dataDir, op.name);
    if ('holder' in lock) {
      const holder = await settledHolder(env.dataDir, lock.holder);
      if (!holder) return run(env, op);
      if (!holder.admin) throw new UsageError(`the data folder ${env.dataDir} is in use by process ${holder.pid} (${holder.command}), which is not a running collector: wait for it, or if it is not Kizuna, delete ${env.dataDir}/kizuna.lock`);
      const { callAdmin } = await import('./cli/admin.ts');
      const result = await callAdmin(holder, op);
      const marks = result.recompute;
      if (marks) await awaitRecompute(marks, () => callAdmin(holder, { name: 'rollups.pending', args: marks }));
      return result;
    }
    try {
      return await runHere(env, op);
    } finally {
      lock.held.release();
    }
  }
  return runHere(env, op);
}

async function runHere(env: Env, op: Op): Promise<OpResult> {
  const [{ openDb }, { runOp }, { refreshRollups }, { Progress }] = await Promise.all([
    import('./db/index.ts'),
    import('./cli/ops.ts'),
    import('./aggregate/rollups.ts'),
    import('./lib/progress.ts'),
  ]);
  const db = await openDb(env.databaseUrl ? { url: env.databaseUrl } : { dataDir: env.dataDir });
  try {
    let progress: InstanceType<typeof Progress> | undefined;
    const onProgress = (n: number, total: number) => (progress ??= new Progress(op.name, total, 'sessions')).update(n);
    const result = await runOp(db, op, onProgress);
    progress?.finish();
    const marks = result.recompute;
    // PGlite: this process holds the folder, so no collector's rollup job runs: recompute here.
    // PostgreSQL: the collectors' job recomputes (two processes rebuilding one day would collide).
    if (marks && !env.databaseUrl)
      await awaitRecompute(marks, () => runOp(db, { name: 'rollups.pending', args: marks }), () => refreshRollups(db, { siteId: marks.siteId, limit: 20 }));
    else if (marks) result.lines.push(`the collector's rollup job recomputes ${marks.days} days of ${marks.siteId} in the new time zone`);
    return result;
  } finally {
    await db.close();
  }
}

/**
 * Waits for a site's marked days to be recomputed, with a progress bar: by `step` when given (this
 * process recomputes), else by polling `pendingOf` while the collector's rollup job does it (which
 * may have finished before the first poll: the bar counts from the days marked, not from that poll).
 */
async function awaitRecompute(marks: { siteId: string; days: number }, pendingOf: () => Promise<OpResult>, step?: () => Promise<number>): Promise<void> {
  if (marks.days === 0) return;
  const { Progress } = await import('./lib/progress.ts');
  const progress = new Progress(`recompute ${marks.siteId}`, marks.days, 'days');
  let left = marks.days;
  // never backwards: a mark another transaction committed after this one may have a lower id
  while ((left = Math.min(left, Number((await pendingOf()).lines[0]))) > 0) {
    progress.update(marks.days - left);
    if (step) await step();
    else await new Promise((resolve) => setTimeout(resolve, 500));
  }
  progress.finish();
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    // an expected failure is one line; the usage of the command follows bad input
    console.error(`kizuna: ${err.message}`);
    if (err instanceof UsageError && typeof err.cause === 'string') console.error(err.cause);
    process.exit(1);
  },
);

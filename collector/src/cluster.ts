/**
 * `kizuna serve --workers N`: N collector processes on one port (node:cluster; the operating system
 * spreads the connections), for a PostgreSQL database (PGlite is one process). The primary starts
 * the workers — the first runs the periodic jobs, which need run in one process only — and starts a
 * new one when one dies, so a crash costs a worker, never the service. SIGTERM / SIGINT to the
 * primary stop every worker gracefully (each stores its write queue) before it exits.
 */
import cluster, { type Worker } from 'node:cluster';

export function runPrimary(workers: number, log = console.log): Promise<number> {
  let stopping = false;
  const roles = new Map<Worker, { maintenance: boolean }>();
  const start = (maintenance: boolean) => {
    const worker = cluster.fork({ KIZUNA_MAINTENANCE: maintenance ? '1' : '0' });
    roles.set(worker, { maintenance });
  };
  for (let i = 0; i < workers; i++) start(i === 0);
  cluster.on('exit', (worker, code, signal) => {
    const role = roles.get(worker)!;
    roles.delete(worker);
    if (stopping) return;
    log(`kizuna: worker ${worker.process.pid} ended (${signal ?? `code ${code}`}); starting another`);
    setTimeout(() => start(role.maintenance), 500).unref(); // a worker that dies at start must not spin
  });
  return new Promise((resolve) => {
    const stop = () => {
      if (stopping) return;
      stopping = true;
      for (const worker of roles.keys()) worker.process.kill('SIGTERM');
      const done = () => roles.size === 0 && resolve(0);
      cluster.on('exit', done);
      done();
    };
    process.once('SIGINT', stop).once('SIGTERM', stop);
  });
}

export const isPrimary = () => cluster.isPrimary;

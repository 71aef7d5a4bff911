/**
 * The collector (or the bare handler) as its own process, as it runs in production, for the ingest
 * benchmark, the fault scripts and the soak: started with `kizuna serve`, waited for until /ready,
 * stopped by its PID (gracefully, or with kill -9). Loopback only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Server {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** resolves with the exit code (or signal) when the process ends */
  exited: Promise<number | string>;
  /** SIGTERM (graceful), then waits for the exit */
  stop(): Promise<number | string>;
  /** SIGKILL: no shutdown at all */
  kill9(): Promise<number | string>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Polls until `GET url` answers 200, or fails after `ms`. */
export async function waitReady(url: string, ms = 60_000, exited?: Promise<unknown>): Promise<void> {
  const until = Date.now() + ms;
  let ended = false;
  void exited?.then(() => (ended = true));
  for (;;) {
    if (ended) throw new Error(`${url}: the process ended before it was ready`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > until) throw new Error(`${url} not ready after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface StartOptions {
  /** `serve` arguments, e.g. ['--workers', '2'] */
  args?: string[];
  env?: Record<string, string | undefined>;
  /** a script to run instead of the collector's CLI (the bare handler) */
  script?: string;
  port?: number;
  /** show the process's output (default: only when it fails to start) */
  verbose?: boolean;
  /** node flags for the server (e.g. `--cpu-prof --cpu-prof-dir=DIR`; a cluster's workers inherit them) */
  nodeArgs?: string[];
}

/** Starts the collector (`kizuna serve`) on a free port with benchmark-friendly limits, and waits for /ready. */
export async function startCollector(options: StartOptions = {}): Promise<Server> {
  const port = options.port ?? (await freePort());
  const script = options.script ?? fileURLToPath(new URL('../collector/src/cli.ts', import.meta.url));
  // node itself with tsx's loader (not the tsx binary, which runs node as a child: kill -9 must hit the server)
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', script, ...(options.script ? [] : ['serve', ...(options.args ?? [])])], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      // a load from one address to one site: the per-IP and per-site limits would measure themselves
      KIZUNA_RATE_LIMIT: '1000000000/1000000000',
      KIZUNA_SITE_RATE_LIMIT: '1000000000/1000000000',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (options.verbose || process.env.BENCH_VERBOSE) process.stderr.write(chunk);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(`${url}/ready`, 90_000, exited);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return {
    url,
    port,
    pid: child.pid!,
    child,
    exited,
    stop: () => (child.kill('SIGTERM'), exited),
    kill9: () => (child.kill('SIGKILL'), exited),
  };
}

/**
 * The only file that reads `process.env`: every setting of the collector, with its default. A setting
 * that is set but wrong stops the start with its name (`ConfigError`) — silently falling back to a
 * default would serve somewhere the operator did not ask for.
 */
import net from 'node:net';
import path from 'node:path';
import { ConfigError } from './lib/errors.ts';

export interface Env {
  /** postgres:// URL; unset means embedded PGlite in `dataDir` */
  databaseUrl?: string;
  dataDir: string;
  /** where the command was typed: relative paths given to the CLI are from here (pnpm runs package scripts inside the package folder) */
  cwd: string;
  port: number;
  host: string;
  /** honour X-Forwarded-For only when the collector sits behind a proxy we trust */
  trustProxy: boolean;
  /** how often dirty rollup days are recomputed, ms */
  rollupEveryMs: number;
  /** events requests one client IP may send: `burst` at once, then `perSecond` */
  rateLimit: { perSecond: number; burst: number };
  /** events requests one site may receive from all its visitors together (a site's own setting wins) */
  siteRateLimit: { perSecond: number; burst: number };
  /** origins whose pages may read the report API (CORS) */
  reportOrigins: string[];
  /** whether this process runs the periodic jobs (rollups, retention): one process of a cluster does */
  maintenance: boolean;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const cwd = env.INIT_CWD || process.cwd();
  return {
    databaseUrl: databaseUrlOf(env.DATABASE_URL),
    dataDir: path.resolve(cwd, env.KIZUNA_DATA_DIR || 'data'),
    cwd,
    port: portOf(env.PORT),
    host: hostOf(env.HOST),
    trustProxy: env.KIZUNA_TRUST_PROXY === '1' || env.KIZUNA_TRUST_PROXY === 'true',
    rollupEveryMs: Number(env.KIZUNA_ROLLUP_EVERY_MS) || 5_000,
    rateLimit: rateOf(env.KIZUNA_RATE_LIMIT, { perSecond: 50, burst: 200 }),
    siteRateLimit: rateOf(env.KIZUNA_SITE_RATE_LIMIT, { perSecond: 2000, burst: 10_000 }),
    reportOrigins: (env.KIZUNA_REPORT_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    maintenance: env.KIZUNA_MAINTENANCE !== '0',
  };
}

/** `50/200`: 50 per second, bursts of 200. */
function rateOf(value: string | undefined, fallback: { perSecond: number; burst: number }) {
  const m = /^(\d+)\/(\d+)$/.exec(value ?? '');
  return m ? { perSecond: Number(m[1]), burst: Number(m[2]) } : fallback;
}

function portOf(value: string | undefined): number {
  if (!value) return 8787;
  const port = Number(value);
  // 0 asks the system for a free port (tests, one-off runs)
  if (!/^\d+$/.test(value) || port > 65535) throw new ConfigError(`PORT: expected a port number from 0 to 65535, got "${value}"`);
  return port;
}

/** An IP address or a host name (RFC 1123 labels); not a URL, not a host with a port. */
function hostOf(value: string | undefined): string {
  if (!value) return '127.0.0.1';
  const name = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
  if (!net.isIP(value) && !name.test(value)) throw new ConfigError(`HOST: expected an IP address or a host name, got "${value}"`);
  return value;
}

function databaseUrlOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('DATABASE_URL: not a URL (expected postgres://user:password@host:5432/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new ConfigError(`DATABASE_URL: expected a postgres:// or postgresql:// URL, got ${url.protocol}//…`);
  return value;
}

/** The address a browser on this machine reaches a server bound to `host` at: not the wildcard 0.0.0.0 / ::. */
export const reachableHost = (host: string) => (host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : net.isIPv6(host) ? `[${host}]` : host);

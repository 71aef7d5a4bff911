/**
 * `kizuna` as an operator runs it, in its own process on a temporary data folder: commands on the
 * folder itself, commands while a collector runs on it (they go through its admin endpoint and it
 * sees the change at once), and the lock that keeps a second writer off the folder.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, beaconInit, event } from '../testing/beacon.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = ['--import', 'tsx', 'collector/src/cli.ts'];

const envFor = (dir: string, extra: Record<string, string> = {}) => ({ ...process.env, DATABASE_URL: '', KIZUNA_DATA_DIR: dir, ...extra });

function kizuna(dir: string, line: string | string[], extra: Record<string, string> = {}) {
  const args = typeof line === 'string' ? line.split(' ') : line;
  return new Promise<{ code: number; out: string; err: string }>((resolve) => {
    execFile(process.execPath, [...CLI, ...args], { cwd: ROOT, env: envFor(dir, extra), timeout: 60_000 }, (error, out, err) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });
}

/** `kizuna serve` on the folder, once it listens. */
async function serve(dir: string): Promise<{ url: string; proc: ChildProcess; stop: () => Promise<number> }> {
  const proc = spawn(process.execPath, [...CLI, 'serve'], { cwd: ROOT, env: envFor(dir, { PORT: '0', KIZUNA_ROLLUP_EVERY_MS: '200' }) });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 60_000);
    proc.stdout!.on('data', (chunk) => {
      out += chunk;
      const m = /listening on (\S+)/.exec(out);
      if (m) (clearTimeout(timer), resolve(m[1]!));
    });
    proc.stderr!.on('data', (chunk) => (out += chunk));
  });
  const exited = new Promise<number>((resolve) => proc.once('exit', (code) => resolve(code ?? 1)));
  return { url, proc, stop: () => (proc.kill('SIGINT'), exited) };
}

async function eventually<T>(check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
    const value = await check();
    if (value !== undefined) return value;
  }
  throw new Error('condition not met in time');
}

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'kizuna-cli-'));

// each command is a process that opens the folder: a few seconds each, more under a full run's load
describe('on a data folder no collector runs on', { timeout: 120_000 }, () => {
  const dir = tempDir();

  it('adds a site, refuses it twice, adds an origin keeping the time zone, lists and removes', async () => {
    expect(await kizuna(dir, 'site add tokyo.example --origin https://www.tokyo.example --timezone Asia/Tokyo')).toMatchObject({ code: 0 });
    const again = await kizuna(dir, 'site add tokyo.example --origin https://shop.tokyo.example');
    expect(again.code).toBe(1);
    expect(again.err).toContain('kizuna site update tokyo.example');
    expect((await kizuna(dir, 'site update tokyo.example --add-origin https://shop.tokyo.example')).code).toBe(0);
    expect((await kizuna(dir, 'site list')).out).toBe('tokyo.example\tAsia/Tokyo\t400 days\thttps://www.tokyo.example https://shop.tokyo.example\n');
    const token = (await kizuna(dir, 'token create --site tokyo.example --label dashboard --expires 2099-12-31')).out.trim();
    expect(token).toMatch(/^kz_/);
    const list = (await kizuna(dir, 'token list')).out;
    expect(list).toMatch(/^[0-9a-f]{12}\ttokyo\.example\tdashboard\t\d{4}-\d\d-\d\d \d\d:\d\d\t-\t2099-12-31 00:00$/m);
    expect(list).not.toContain(token);
    expect((await kizuna(dir, 'site remove tokyo.example --yes')).out).toMatch(/^site tokyo.example removed: 1 tokens/);
    expect((await kizuna(dir, 'site list')).out).toBe('');
    expect(existsSync(path.join(dir, 'kizuna.lock'))).toBe(false);
  });

  it('refuses bad input with one line and exit code 1, and gives per-command help', async () => {
    const checks: Promise<void>[] = [];
    for (const line of [
      'site add with space --origin https://a.example',
      ['site', 'add', '東京.example', '--origin', 'https://a.example'],
      ['site', 'add', 'x'.repeat(101), '--origin', 'https://a.example'],
      ['site', 'add', 'a.example', '--origin', 'javascript:alert(1)'],
      ['site', 'add', 'a.example', '--origin', 'https://a.example,https://b.example'],
      'site add a.example --origin',
      'site add a.example --origin https://a.example --unknown',
      'token revoke',
    ]) {
      // refused before a database is opened: all at once on one folder (none takes its lock)
      checks.push(
        kizuna(dir, line).then((r) => {
          expect(r.code, String(line)).toBe(1);
          expect(r.err, String(line)).toMatch(/^kizuna: (invalid|site add: |token revoke: )/);
          expect(r.err, String(line)).not.toMatch(/\n\s+at /);
        }),
      );
    }
    await Promise.all(checks);
    const help = await kizuna(dir, 'site --help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('kizuna site update <id>');
    expect(help.out).not.toContain('kizuna serve');
  });

  it('refuses a folder held by a live process that is not a collector, takes over a stale lock', async () => {
    const lock = path.join(dir, 'kizuna.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, command: 'something else' }));
    const refused = await kizuna(dir, 'site list');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`in use by process ${process.pid}`);
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, command: 'serve', admin: 'http://127.0.0.1:1', secret: 'x' }));
    expect(await kizuna(dir, 'site list')).toMatchObject({ code: 0 });
    expect(existsSync(lock)).toBe(false);
  });
});

describe('while a collector runs on the data folder', { timeout: 120_000 }, () => {
  const dir = tempDir();
  let collector: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => void (collector = await serve(dir)), 90_000);
  afterAll(async () => void (await collector?.stop()));

  it('holds the folder with a lock only its user can read, naming its admin endpoint on 127.0.0.1', () => {
    const lock = path.join(dir, 'kizuna.lock');
    expect(statSync(lock).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: collector.proc.pid, command: 'serve', admin: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
  });

  it('sees a site and a token added by the CLI at once, and a revoked token at once', async () => {
    const report = (token: string) => fetch(`${collector.url}/api/v1/sites/live.example/reports/overview`, { headers: { authorization: `Bearer ${token}` } });
    expect((await report('kz_unknown')).status).toBe(403); // the collector now caches "no such site"
    expect((await kizuna(dir, 'site add live.example --origin https://live.example')).code).toBe(0);
    const token = (await kizuna(dir, 'token create --site live.example --label ci')).out.trim();
    expect((await report(token)).status).toBe(200);
    const id = /^([0-9a-f]{12})\tlive\.example\tci\t.*\t\d{4}-\d\d-\d\d \d\d:\d\d\t-$/m.exec((await kizuna(dir, 'token list')).out)?.[1];
    expect(id).toBeDefined();
    expect((await kizuna(dir, `token revoke ${id}`)).code).toBe(0);
    expect((await report(token)).status).toBe(403);
  });

  it('takes events from an origin added by the CLI at once, and refuses a removed one', async () => {
    const preflight = (origin: string) => fetch(`${collector.url}/api/v1/events`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    const allowed = async (origin: string) => (await preflight(origin)).headers.get('access-control-allow-origin') === origin;
    expect(await allowed('https://new.live.example')).toBe(false);
    expect((await kizuna(dir, 'site update live.example --add-origin https://new.live.example --timezone Asia/Tokyo')).code).toBe(0);
    expect(await allowed('https://new.live.example')).toBe(true);
    expect((await kizuna(dir, 'site update live.example --remove-origin https://new.live.example')).code).toBe(0);
    expect(await allowed('https://new.live.example')).toBe(false);
    expect((await kizuna(dir, 'site list')).out).toBe('live.example\tAsia/Tokyo\t400 days\thttps://live.example\n');
  });

  it('recomputes the past days in a new time zone, waiting for the collector with a progress bar', async () => {
    expect((await kizuna(dir, 'site add tz.example --origin https://tz.example')).code).toBe(0);
    const token = (await kizuna(dir, 'token create --site tz.example --label tz')).out.trim();
    const midnight = new Date(new Date().toISOString().slice(0, 10)).getTime();
    const at = midnight - 30 * 60_000; // 23:30 UTC yesterday: 08:30 today in Tokyo
    const [utcDay, tokyoDay] = [new Date(at).toISOString().slice(0, 10), new Date(at + 9 * 3_600_000).toISOString().slice(0, 10)];
    const sent = await fetch(`${collector.url}/api/v1/events`, beaconInit(batch('tz.example', [event({ ts: at, url: 'https://tz.example/' })], { sentAt: Date.now() }), 'https://tz.example'));
    expect(sent.status).toBe(202);
    const pageviews = async (day: string) => {
      const res = await fetch(`${collector.url}/api/v1/sites/tz.example/reports/overview?from=${day}&to=${day}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { pendingDays: number; pageviews: number };
      return body.pendingDays ? undefined : body.pageviews;
    };
    expect(await eventually(() => pageviews(utcDay))).toBe(1);
    const update = await kizuna(dir, 'site update tz.example --timezone Asia/Tokyo');
    expect(update.code).toBe(0);
    // the day it had in UTC and the day it has in Tokyo, counted as marked, however soon the collector's job clears them
    expect(update.err).toMatch(/recompute tz\.example .*100\.0% 2\/2 days/);
    expect(await pageviews(tokyoDay)).toBe(1);
    if (utcDay !== tokyoDay) expect(await pageviews(utcDay)).toBe(0);
  });

  it('refuses a second collector on the folder, and leaves no lock behind when stopped', async () => {
    const second = await kizuna(dir, 'serve', { PORT: '0' });
    expect(second.code).toBe(1);
    expect(second.err).toMatch(/^kizuna: KIZUNA_DATA_DIR: .* is in use by a Kizuna collector \(process \d+, admin http:\/\/127\.0\.0\.1:\d+\)/);
    expect(await collector.stop()).toBe(0);
    expect(existsSync(path.join(dir, 'kizuna.lock'))).toBe(false);
    // what the running collector wrote through its endpoint is in the folder
    expect((await kizuna(dir, 'site list')).out).toContain('live.example');
  });
});

it('refuses PORT=abc and an unreachable DATABASE_URL with one line naming the setting', { timeout: 120_000 }, async () => {
  const dir = tempDir();
  const port = await kizuna(dir, 'serve', { PORT: 'abc' });
  expect(port).toMatchObject({ code: 1, err: 'kizuna: PORT: expected a port number from 0 to 65535, got "abc"\n' });
  const refused = await kizuna(dir, 'site list', { DATABASE_URL: 'postgres://kz:pw@127.0.0.1:1/kz' });
  expect(refused).toMatchObject({ code: 1, err: 'kizuna: DATABASE_URL: connection refused at 127.0.0.1:1 (is PostgreSQL running there?)\n' });
  const scheme = await kizuna(dir, 'serve', { DATABASE_URL: 'mysql://kz@db/kz' });
  expect(scheme).toMatchObject({ code: 1, err: 'kizuna: DATABASE_URL: expected a postgres:// or postgresql:// URL, got mysql://…\n' });
});

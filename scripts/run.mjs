#!/usr/bin/env node
/**
 * The two commands of the README, for a fresh machine with only Node 20 and npm:
 *   npm start   installs what is missing, builds the SDK, runs the demo (collector + demo site)
 *   npm test    installs what is missing, builds the SDK, runs every test (PGlite, or the
 *               PostgreSQL of DATABASE_URL) and ends with the line `N passed, N failed`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = '12.21.0';
const command = process.argv[2];

const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  return r.status ?? 1;
};
const ok = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'ignore' }).status === 0;

/** pnpm 12 itself, or through npx when it is not installed (TOOLCHAIN.md: pnpm 11 crashes on Node 20). */
const pnpm = ok('pnpm', ['--version']) && execFileSync('pnpm', ['--version']).toString().startsWith('12.')
  ? ['pnpm']
  : ['npx', '--yes', `pnpm@${PNPM}`];
const runPnpm = (...args) => run(pnpm[0], [...pnpm.slice(1), ...args]);

function install() {
  const marker = path.join(root, 'node_modules/.modules.yaml');
  const lock = path.join(root, 'pnpm-lock.yaml');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return 0;
  return runPnpm('install', '--frozen-lockfile');
}

/**
 * The browser tests need Debian's Chromium, and a Japanese font for the dashboard's screenshots in
 * Japanese to be readable (without one Chromium draws boxes); as root on Debian we install them, as CI does.
 */
const JAPANESE_FONT = '/usr/share/fonts/opentype/ipafont-gothic';
function ensureChromium() {
  const canInstall = process.getuid?.() === 0 && ok('which', ['apt-get']);
  // without the font the tests still pass: only the screenshots suffer
  if (existsSync('/usr/bin/chromium') && (existsSync(JAPANESE_FONT) || !canInstall)) return 0;
  if (!canInstall) {
    console.error('Chromium is missing: install it with `apt-get install -y chromium` (the browser tests need /usr/bin/chromium).');
    return 1;
  }
  return run('apt-get', ['update', '-qq']) || run('apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-ipafont-gothic']);
}

function test() {
  const typesOk = run(path.join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json']) === 0;
  if (!typesOk) console.error('type check failed (tsc -p tsconfig.json)');
  const out = path.join(root, '.tmp');
  mkdirSync(out, { recursive: true });
  const report = path.join(out, 'vitest.json');
  const status = run(path.join(root, 'node_modules/.bin/vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  let passed = 0;
  let failed = 0;
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed = json.numPassedTests;
    failed = json.numFailedTests + (json.numRuntimeErrors ?? 0);
    // a file that failed to load has no tests: count it as a failure
    failed += json.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  } catch {
    failed = Math.max(failed, 1);
  }
  if (status !== 0 && failed === 0) failed = 1;
  if (!typesOk) failed += 1;
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

let code = install();
if (!code) code = runPnpm('--filter', '@kizuna/sdk', 'build');
if (!code && command === 'test') code = ensureChromium() || test();
else if (!code && command === 'start') code = runPnpm('--filter', '@kizuna/collector', 'demo');
else if (!code) (console.error('usage: node scripts/run.mjs test|start'), (code = 1));
process.exit(code);

/**
 * `@kizuna/sdk` as a site's developer gets it (issue #15): packed with pnpm, installed with npm
 * into a fresh folder (no workspace around it), then consumed the usual ways — a Vite app built for
 * the browser, the same app built for the server (`vite build --ssr`) and run in Node, plain Node
 * `import` and `require`, and TypeScript with `skipLibCheck: false` under `bundler`, `nodenext` and
 * `node16` + CommonJS resolution.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = path.join(ROOT, 'node_modules/.bin/tsc');
let app: string;

const run = (cmd: string, args: string[], cwd = app) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', timeout: 120_000 });
const write = async (file: string, text: string) => {
  await mkdir(path.dirname(path.join(app, file)), { recursive: true });
  await writeFile(path.join(app, file), text);
};

beforeAll(async () => {
  app = await mkdtemp(path.join(os.tmpdir(), 'kizuna-package-'));
  run('pnpm', ['pack', '--pack-destination', app], path.join(ROOT, 'sdk'));
  const tarball = (await readdir(app)).find((f) => f.endsWith('.tgz'))!;
  await write('package.json', JSON.stringify({ name: 'fresh-app', private: true, type: 'module' }));
  // the package needs nothing at run time: the install works offline
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', `./${tarball}`]);
  await write(
    'src/main.ts',
    `import { init, track } from '@kizuna/sdk';
     export const api = init({ site: 'shop.example', endpoint: 'https://stats.example' });
     track('Signup', { plan: 'pro' });`,
  );
  await write('index.html', '<!doctype html><script type="module" src="/src/main.ts"></script>');
}, 180_000);
afterAll(() => rm(app, { recursive: true, force: true }));

describe('@kizuna/sdk, packed and installed', () => {
  it('installs only what it needs: the scripts, the package entries and one type file', async () => {
    const files = (await readdir(path.join(app, 'node_modules/@kizuna/sdk/dist'))).sort();
    expect(files).toEqual(['index.d.cts', 'index.d.ts', 'kizuna.cjs', 'kizuna.esm.js', 'kizuna.js', 'kizuna.signals.js', 'kizuna.vitals.js']);
    const manifest = JSON.parse(await readFile(path.join(app, 'node_modules/@kizuna/sdk/package.json'), 'utf8'));
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(await readFile(path.join(app, 'node_modules/@kizuna/sdk/dist/index.d.ts'), 'utf8')).not.toMatch(/from ['"]/);
  });

  it('builds into a fresh Vite app for the browser', async () => {
    await build({ root: app, logLevel: 'silent', build: { outDir: 'dist-client' } });
    const assets = await readdir(path.join(app, 'dist-client/assets'));
    const bundle = await readFile(path.join(app, 'dist-client/assets', assets.find((f) => f.endsWith('.js'))!), 'utf8');
    expect(bundle).toContain('kizuna_v'); // the tracker is in the page's bundle
  }, 120_000);

  it('does nothing on a server: the SSR build imports and inits without touching window', async () => {
    await build({ root: app, logLevel: 'silent', build: { ssr: 'src/main.ts', outDir: 'dist-server' } });
    const out = run('node', ['--input-type=module', '-e', `const m = await import('./dist-server/main.js'); console.log(JSON.stringify(m.api ?? null))`]);
    expect(out.trim()).toBe('null');
  }, 120_000);

  it('imports with ESM and requires with CommonJS in Node', () => {
    const esm = run('node', ['--input-type=module', '-e', `import * as k from '@kizuna/sdk'; console.log(Object.keys(k).sort().join(), k.init({ site: 'x' }) ?? 'no-op')`]);
    const cjs = run('node', ['--input-type=commonjs', '-e', `const k = require('@kizuna/sdk'); console.log(Object.keys(k).sort().join(), k.init({ site: 'x' }) ?? 'no-op')`]);
    expect(esm.trim()).toBe('consent,faqVote,flush,identify,init,nps,page,reset,track no-op');
    expect(cjs.trim()).toBe(esm.trim());
  });

  it.each([
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }, 'main.ts', `import { init, type Api } from '@kizuna/sdk';`],
    ['nodenext (ESM)', { module: 'nodenext', moduleResolution: 'nodenext' }, 'main.mts', `import { init, type Api } from '@kizuna/sdk';`],
    ['node16 (CommonJS require)', { module: 'node16', moduleResolution: 'node16' }, 'main.cts', `import sdk = require('@kizuna/sdk'); const { init } = sdk; type Api = sdk.Api;`],
  ])('type-checks under %s with skipLibCheck false, and its types are not any', async (name, options, file, importLine) => {
    const dir = `types-${name.replace(/\W+/g, '-')}`;
    await write(`${dir}/${file}`, `${importLine}\nconst api: Api | undefined = init({ site: 'x' });\n// @ts-expect-error: a site is required\ninit({});\nexport { api };\n`);
    await write(`${dir}/tsconfig.json`, JSON.stringify({ compilerOptions: { ...options, strict: true, noEmit: true, skipLibCheck: false, types: [] }, include: [file] }));
    // the @ts-expect-error line fails the check if the types were any
    expect(() => run(TSC, ['-p', path.join(app, dir)])).not.toThrow();
  }, 60_000);
});

/**
 * Builds the framework apps (apps/) with esbuild from the npm packages, as production bundles, and
 * writes a page for each app and history mode, with the script tag of the SDK: what a site's
 * build gives. Served by tests/e2e/site.ts, which answers a history-mode route with its app's page.
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { DEMO_SITE } from '../../collector/src/demo/index.ts';

export interface App {
  /** the bundle, and the folder its page is served from (the router's base) */
  framework: 'react' | 'vue';
  router: 'history' | 'hash';
  base: string;
}

export const APPS: App[] = (['react', 'vue'] as const).flatMap((framework) =>
  (['history', 'hash'] as const).map((router) => ({ framework, router, base: `/${framework}-${router}` })),
);

const page = ({ framework, router, base }: App) => `<!doctype html>
<html lang="en" data-router="${router}" data-base="${base}"><head><meta charset="utf-8">
<title>Kizuna Shop</title>
<script>window.kizuna=window.kizuna||function(){(kizuna.q=kizuna.q||[]).push(arguments)}</script>
<script defer src="__KIZUNA_ENDPOINT__/kizuna.js" data-site="${DEMO_SITE}" data-endpoint="__KIZUNA_ENDPOINT__"></script>
<script type="module" src="/${framework}.js"></script>
</head><body><div id="root"></div></body></html>
`;

/** Builds into a new temporary folder and returns it. */
export async function buildApps(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kizuna-frameworks-'));
  const apps = fileURLToPath(new URL('apps/', import.meta.url));
  await build({
    entryPoints: { react: path.join(apps, 'react.ts'), vue: path.join(apps, 'vue.ts') },
    outdir: dir,
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2022',
    logLevel: 'warning',
    define: {
      'process.env.NODE_ENV': '"production"',
      // vue's esm-bundler build asks the bundler for its feature flags
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
  });
  for (const app of APPS) {
    await mkdir(path.join(dir, app.base), { recursive: true });
    await writeFile(path.join(dir, app.base, 'index.html'), page(app));
  }
  return dir;
}

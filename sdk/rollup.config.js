// Builds the script tag's `kizuna.js` (IIFE, minified) and the ESM package with its types.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';
import esbuild from 'rollup-plugin-esbuild';

const DIST = new URL('dist', import.meta.url).pathname;
const plugins = [resolve({ browser: true }), esbuild({ target: 'es2020' })];

/**
 * The helpers `kizuna.signals.js` borrows from the first-load script instead of bundling its own
 * copies (src/handoff.ts LIB, set by src/signals/lazy.ts before it loads the chunk): each of these
 * modules becomes a view of that global. Every export of a listed module must be lent.
 */
const SHARED = { on: ['on'], page: ['onPageView', 'lastView'], url: ['lastOf', 'matches'], safe: ['safe'], cut: ['cut'] };
const shared = {
  name: 'kizuna-shared',
  async resolveId(source, importer, options) {
    if (source == '\0shared') return source;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    const m = resolved && /[\\/]src[\\/]lib[\\/](\w+)\.ts$/.exec(resolved.id);
    return m && SHARED[m[1]] ? `\0shared:${m[1]}` : null;
  },
  load(id) {
    // an older cached kizuna.js lends nothing: the chunk's signals then fail to start, caught there
    if (id == '\0shared') return 'export default window.__kizunaLib2 || {};';
    if (!id.startsWith('\0shared:')) return null;
    return `import l from '\0shared';\n` + SHARED[id.slice(8)].map((name) => `export const ${name} = l.${name};`).join('\n');
  },
};
const minify = terser({
  ecma: 2020,
  compress: { passes: 3, pure_getters: true, unsafe_arrows: true },
  // private members start with one `_` and are mangled, as in web-vitals: every byte counts.
  // `__kizuna…` globals are shared between the SDK's scripts: never mangled.
  mangle: { properties: { regex: /^_[^_]/ } },
  format: { comments: false },
});

/**
 * V8's explicit compile hint (Chrome 136+): every function of the script is compiled as the script
 * streams in, off the main thread, instead of lazily on the main thread at its first call. Nearly
 * every function of the SDK's scripts runs while the page loads: bench/sdk.ts measured 11.2 → 7.1 ms
 * of main-thread script at load for the three scripts. The comment must open the file, after terser.
 */
const compileHint = {
  name: 'kizuna-compile-hint',
  renderChunk: (code) => '//# allFunctionsCalledOnLoad\n' + code,
};
const scriptPlugins = [minify, compileHint];

/**
 * Immutable chunk URLs (issue #15): a script that loads a chunk names it `kizuna.<name>.<hash>.js`,
 * the hash being the first 8 characters of the base64url SHA-256 of the built chunk — the collector
 * computes the same (collector/src/api/sdk-script.ts `urlHash`) and caches such a URL for a year.
 * A new build changes the hash of every chunk it changes, and so the URL kizuna.js asks for. The
 * configurations below build each chunk before the scripts that name it.
 */
const hashedNames = {
  name: 'kizuna-hashed-names',
  renderChunk: (code) =>
    code.replace(/kizuna\.(\w+)\.js/g, (file, name) => {
      const built = path.join(DIST, file);
      if (!existsSync(built)) return file;
      return `kizuna.${name}.${createHash('sha256').update(readFileSync(built)).digest('base64url').slice(0, 8)}.js`;
    }),
};

export default [
  {
    // web-vitals, fetched by kizuna.signals.js after the load event (signals/vitals.ts); built first:
    // the signals chunk names it by its content hash
    input: 'src/vitals-chunk.ts',
    output: { file: 'dist/kizuna.vitals.js', format: 'iife', plugins: [...scriptPlugins, hashedNames] },
    plugins,
  },
  {
    // the signals beyond the first-load budget and the full scrubbing rules, fetched by kizuna.js as
    // it starts (signals/lazy.ts, lib/scrub.ts); built before kizuna.js, which names it by its hash
    input: 'src/signals-chunk.ts',
    output: { file: 'dist/kizuna.signals.js', format: 'iife', plugins: [...scriptPlugins, hashedNames] },
    plugins: [shared, ...plugins],
  },
  {
    input: 'src/script.ts',
    output: { file: 'dist/kizuna.js', format: 'iife', plugins: [...scriptPlugins, hashedNames] },
    plugins,
  },
  {
    // the npm package, for `import` and `require`: the tracker alone, nothing needed at run time
    input: 'src/index.ts',
    output: [
      { file: 'dist/kizuna.esm.js', format: 'es' },
      { file: 'dist/kizuna.cjs', format: 'cjs' },
    ],
    plugins,
  },
  {
    // its types in one file: no relative import for nodenext to reject, nothing imported from the
    // unpublished workspace (rollup-plugin-dts; TypeScript 7 has no compiler API, it uses typescript6)
    input: 'src/index.ts',
    output: [
      { file: 'dist/index.d.ts', format: 'es' },
      { file: 'dist/index.d.cts', format: 'es' },
    ],
    external: ['@kizuna/protocol'], // types the public API never reaches: tree-shaken away
    plugins: [dts()],
  },
];

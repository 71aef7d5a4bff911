// Builds the script tag's `kizuna.js` (IIFE, minified) and the ESM package with its types.
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

const plugins = [resolve({ browser: true }), esbuild({ target: 'es2020' })];

/**
 * The helpers `kizuna.signals.js` borrows from the first-load script instead of bundling its own
 * copies (src/handoff.ts LIB, set by src/signals/lazy.ts before it loads the chunk): each of these
 * modules becomes a view of that global. Every export of a listed module must be lent.
 */
const SHARED = { on: ['on', 'listen'], page: ['onPageView', 'lastView'], url: ['scrubUrl', 'matches'], safe: ['safe'], cut: ['cut'] };
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
    if (id == '\0shared') return 'export default window.__kizunaLib1 || {};';
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

export default [
  {
    input: 'src/script.ts',
    output: { file: 'dist/kizuna.js', format: 'iife', plugins: [minify] },
    plugins,
  },
  {
    // the signals beyond the first-load budget, fetched by kizuna.js as it starts (signals/lazy.ts)
    input: 'src/signals-chunk.ts',
    output: { file: 'dist/kizuna.signals.js', format: 'iife', plugins: [minify] },
    plugins: [shared, ...plugins],
  },
  {
    // web-vitals, fetched by kizuna.signals.js after the load event (signals/vitals.ts)
    input: 'src/vitals-chunk.ts',
    output: { file: 'dist/kizuna.vitals.js', format: 'iife', plugins: [minify] },
    plugins,
  },
  {
    input: 'src/index.ts',
    output: { dir: 'dist', format: 'es', entryFileNames: 'kizuna.esm.js', chunkFileNames: 'kizuna.[name].esm.js' },
    plugins,
  },
];

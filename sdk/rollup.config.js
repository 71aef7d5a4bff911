// Builds the script tag's `kizuna.js` (IIFE, minified) and the ESM package with its types.
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

const plugins = [resolve({ browser: true }), esbuild({ target: 'es2020' })];
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
    plugins,
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

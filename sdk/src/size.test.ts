// @vitest-environment node
/**
 * The size budget (issue #3): bytes do not vary, so this is a check, not a benchmark. It reads the
 * build that `npm test` makes first, and prints the figures every time.
 */
import { readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';

const BUDGETS = [
  { file: 'kizuna.js', what: 'first-load script', brotli: 3500 },
  // the signals and the full scrubbing rules (protocol/src/scrub.ts; lib/scrub.ts), fetched at start
  { file: 'kizuna.signals.js', what: 'signals and scrubbing chunk, fetched at start', brotli: 4500 },
  { file: 'kizuna.vitals.js', what: 'page-load figures chunk: Web Vitals, navigation timing', brotli: 5000 },
  // the npm package ships readable code (the app's bundler minifies it) and loads the chunks above
  { file: 'kizuna.esm.js', what: 'npm package entry, unminified', brotli: 6000 },
];

it.each(BUDGETS)('$file ($what) stays within $brotli B brotli', ({ file, what, brotli }) => {
  const bytes = readFileSync(new URL(`../dist/${file}`, import.meta.url));
  const sizes = { minified: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length };
  console.log(`size: ${file} (${what}): ${sizes.minified} B minified, ${sizes.gzip} B gzip, ${sizes.brotli} B brotli (budget ${brotli} B brotli)`);
  expect(sizes.brotli).toBeLessThanOrEqual(brotli);
});

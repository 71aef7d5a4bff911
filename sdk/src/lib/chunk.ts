/**
 * Loads one of the SDK's later scripts from the collector, asynchronously: the page never waits for
 * it. Each script hands itself to the first-load script through a global. `file` is written whole
 * (`'kizuna.signals.js'`): the build names it by its content hash there (`kizuna.signals.<hash>.js`,
 * rollup.config.js `hashedNames`), a URL the collector lets browsers cache for a year (issue #15).
 * It carries the tag's CSP nonce: under `script-src 'nonce-…'` a script without it is refused
 * (and the violation names kizuna.js; issue #12).
 */
import type { Config } from '../config';

export const loadChunk = ({ endpoint, nonce }: Config, file: string) => {
  // a script element a script inserts is async already (HTML: its "force async" flag)
  const script = document.createElement('script');
  if (nonce) script.nonce = nonce;
  script.src = `${endpoint}/${file}`;
  document.head.append(script);
};

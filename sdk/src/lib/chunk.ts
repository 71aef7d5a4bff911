/**
 * Loads one of the SDK's later scripts (`kizuna.<name>.js`) from the collector, asynchronously: the
 * page never waits for it. Each script hands itself to the first-load script through a global.
 * It carries the tag's CSP nonce: under `script-src 'nonce-…'` a script without it is refused
 * (and the violation names kizuna.js; issue #12).
 */
import type { Config } from '../config';

export const loadChunk = ({ endpoint, nonce }: Config, name: string) => {
  const script = document.createElement('script');
  script.async = true;
  if (nonce) script.nonce = nonce;
  script.src = `${endpoint}/kizuna.${name}.js`;
  document.head.append(script);
};

/**
 * The script-tag entry (`kizuna.js`): reads the tag's `data-` attributes once, starts the tracker,
 * and replaces the one-line stub `window.kizuna` with the real function, replaying what the page
 * queued before the script loaded (CONTRACT §1).
 */
import { optionsFromScript, toConfig } from './config';
import { safe } from './lib/safe';
import { createTracker, type Api } from './tracker';

type Stub = ((...args: unknown[]) => void) & { q?: ArrayLike<unknown>[] };

safe(() => {
  const w = window as unknown as { kizuna?: Stub & Partial<Api> };
  if (w.kizuna && 'track' in w.kizuna) return; // loaded twice: keep the first
  const script = document.currentScript as HTMLScriptElement | null;
  if (!script) return;
  const api = createTracker(toConfig(optionsFromScript(script), new URL(script.src, document.URL).origin));
  const queued = (w.kizuna && w.kizuna.q) || [];
  const kizuna = Object.assign((name: keyof Api, ...args: unknown[]) => {
    const fn = api[name] as ((...a: unknown[]) => unknown) | undefined;
    return typeof fn === 'function' ? fn(...args) : undefined;
  }, api);
  w.kizuna = kizuna as unknown as Stub & Api;
  for (const args of Array.from(queued)) safe(kizuna as (...a: unknown[]) => unknown)(...Array.from(args));
})();

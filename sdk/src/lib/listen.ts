/**
 * One listener per event type for every signal that hears the events a page fires often: only
 * `kizuna.signals.js` does, so this lives in that script alone (the first-load script lends it
 * `on`: handoff.ts `LIB`).
 */
import { on } from './on';

type Handlers = { fns: ((e: Event) => void)[]; off: () => void };

/**
 * On the page's window, where bench/sdk.ts checks which types the SDK hears. A list is replaced,
 * never changed in place, so that a handler removed during an event does not make the next one
 * miss it.
 */
const shared: Record<string, Handlers> = ((window as { __kizunaOn?: Record<string, Handlers> }).__kizunaOn = {});

/**
 * `on(window, type, fn)` for the events a page fires often (clicks, keys, scrolls, wheels, touches,
 * selection changes), through one listener per type for every signal: Chromium pays about 10 µs
 * to enter script for each listener of a trusted event, and well under 1 µs for one more call
 * inside it (bench/sdk.ts). Capturing on window, so it hears element events too.
 */
export function listen<E extends Event = Event>(type: string, fn: (e: E) => void): () => void {
  const handlers = (shared[type] ||= {
    fns: [],
    off: on(window, type, (e) => {
      // indexed, not for…of: until V8 optimizes it this runs as bytecode, where an iterator per
      // event costs more than most handlers' own work
      const fns = handlers.fns;
      for (let i = 0; i < fns.length; i++)
        try {
          fns[i]!(e);
        } catch {
          /* never into the page, nor into the next handler */
        }
    }),
  });
  handlers.fns = [...handlers.fns, fn as (e: Event) => void];
  return () => {
    handlers.fns = handlers.fns.filter((f) => f != fn);
    // once: a remover called again must not take a later listener of the type
    if (!handlers.fns.length && shared[type] == handlers) {
      handlers.off();
      delete shared[type];
    }
  };
}

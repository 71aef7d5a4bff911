import { safe } from './safe';

/**
 * Adds a passive, capturing, exception-safe listener and returns its remover: every signal's
 * `stop()` is a list of these.
 */
export const on = <E extends Event = Event>(
  target: EventTarget,
  type: string,
  fn: (e: E) => void,
  capture = true,
): (() => void) => {
  const listener = safe(fn) as EventListener;
  const options = { capture, passive: true };
  target.addEventListener(type, listener, options);
  return () => target.removeEventListener(type, listener, options);
};

/**
 * Runs `fn` once, a tick after the `load` event (a tick after now when the page has loaded), so
 * that it neither delays the load nor misses `loadEventEnd`, which is set only when every load
 * listener has returned. Returns a canceller.
 */
import { on } from './on';
import { safe } from './safe';

export const afterLoad = (fn: () => void) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const go = () => {
    timer = setTimeout(safe(fn));
  };
  const off = on(window, 'load', go);
  if (document.readyState == 'complete') go();
  return () => {
    off();
    clearTimeout(timer);
  };
};

/**
 * `@kizuna/sdk`: the same API as `window.kizuna`, as named exports (CONTRACT §2).
 *
 * @example
 * import { init, track } from '@kizuna/sdk';
 * init({ site: 'example.com', endpoint: 'https://stats.example.com' });
 * track('Signup', { plan: 'pro' });
 */
import { toConfig, type Options } from './config';
import { safe } from './lib/safe';
import { createTracker, type Api } from './tracker';

export type { Options } from './config';
export type { Api } from './tracker';
export type { Props } from './types';

let tracker: Api | undefined;
/** calls made before init(), replayed in order */
const early: [keyof Api, unknown[]][] = [];

/** Starts Kizuna once; later calls return the running instance. `endpoint` defaults to this page's origin. */
export const init = (options: Options): Api | undefined =>
  tracker ||
  safe(() => {
    tracker = createTracker(toConfig(options, location.origin));
    early.splice(0).forEach(([name, args]) => (tracker![name] as (...a: unknown[]) => void)(...args));
    return tracker;
  })();

const call =
  <K extends keyof Api>(name: K) =>
  (...args: Parameters<Api[K]>): ReturnType<Api[K]> | void => {
    if (tracker) return (tracker[name] as (...a: unknown[]) => ReturnType<Api[K]>)(...args);
    if (early.length < 100) early.push([name, args]);
  };

/** Sends a custom event; `props` is a flat object of string / number / boolean. */
export const track = call('track');
/** Sends a page view for `url` (default: the current URL). */
export const page = call('page');
/** Ties this visitor to a known customer id, across devices and channels. */
export const identify = call('identify');
/** Grants or withdraws consent; withdrawing deletes the local ids and the queue. */
export const consent = call('consent');
/** Records a "was this helpful?" answer for a FAQ article. */
export const faqVote = call('faqVote');
/** Records an NPS answer: `score` an integer 0–10. */
export const nps = call('nps');
/** Logout: sends what is queued, then forgets the queue, the session and the visitor id (a new visitor). */
export const reset = call('reset');
/** Sends what is queued now; resolves when the collector has answered (or the send failed). */
export const flush = (): Promise<void> => (tracker ? tracker.flush() : Promise.resolve());

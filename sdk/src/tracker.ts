/**
 * The tracker: holds the ids, consent and the transport, stamps every event, starts the signals and
 * exposes the developers' API (CONTRACT §2). Everything the page can call is wrapped in `safe`.
 */
import type { EventType, WireEvent } from '@kizuna/protocol';
import type { Config } from './config';
import { on } from './lib/on';
import { pageViewed } from './lib/page';
import { safe } from './lib/safe';
import { enableStorage, load, remove, save } from './lib/storage';
import { scrubbing } from './lib/scrub';
import { matches } from './lib/url';
import { uuid } from './lib/uuid';
import { signals } from './signals/index';
import { startPageviews } from './signals/pageviews';
import { createTransport } from './transport';
import type { Emit, Props } from './types';

const SESSION_MS = 30 * 60 * 1000;
/** events held in memory while consent is pending */
const MAX_HELD = 100;

export interface Api {
  /** Sends a custom event; `props` is a flat object of string / number / boolean. */
  track(name: string, props?: Props): void;
  /** Sends a page view for `url` (default: the current URL), for routers the SDK cannot see. */
  page(url?: string): void;
  /** Ties this visitor to a known customer id, across devices and channels; `null`: {@link Api.reset}. */
  identify(customerId: string | null, traits?: Props): void;
  /**
   * Logout on a shared device: what was recorded so far goes now (once, under this visitor), then
   * the queue, session and visitor id are forgotten: the next events are a new visitor's.
   */
  reset(): void;
  /** Grants or withdraws consent; withdrawing deletes the local ids and the queue. */
  consent(granted: boolean): void;
  /** Records a "was this helpful?" answer for a FAQ article. */
  faqVote(articleId: string, helpful: boolean): void;
  /** Records an NPS answer: `score` an integer 0–10. */
  nps(score: number, comment?: string): void;
  /** Sends what is queued now. */
  flush(): Promise<void>;
  /** Stops every signal (tests, teardown). */
  stop(): void;
}

/** the storage keys: visitor id, session, remembered consent, queue (one constant each: minified to one letter) */
const VISITOR = 'kizuna_v';
const SESSION = 'kizuna_s';
const CONSENT = 'kizuna_c';
const QUEUE = 'kizuna_q';
const DAY_MS = 864e5;

export function createTracker(config: Config): Api {
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  const optedOut =
    // (`window.doNotTrack` was IE's and old Safari's: neither runs this ES2020 script)
    !config.site || (config.respectDnt && (nav.doNotTrack === '1' || !!nav.globalPrivacyControl));

  let granted = false;
  let held: WireEvent[] = [];
  let visitor: string | null = null;
  const started = Date.now();
  const session = { id: uuid(), t: 0 };
  /**
   * The batch's ids, read from storage at the first send rather than as the page loads: a page's
   * first localStorage access costs its load about a millisecond of main thread (bench/sdk.ts).
   */
  let known = false;
  const ids = () => {
    if (!known && granted && !config.cookieless) {
      known = true;
      // Storage that throws or is full keeps no id: a new visitor at every page load (issue #12).
      // Without one the collector derives the cookieless visitor, stable for the day.
      // The id lasts visitorDays from its creation and is not renewed by visits (CNIL's 13 months):
      // stored with its creation time, a new one after that.
      const kept = load<[string, number]>(VISITOR);
      const id: [string, number] = [uuid(), started];
      visitor = kept && started - kept[1] < config.visitorDays * DAY_MS ? kept[0] : save(VISITOR, id) ? id[0] : null;
      const stored = load<typeof session>(SESSION);
      if (stored && started - stored.t < SESSION_MS) session.id = stored.id;
    }
    // the site's kept query parameters, for the collector's scrubbing
    return { site: config.site, visitor, session: session.id, keep: config.keep };
  };
  // Opted out (DNT / GPC honoured): nothing is ever granted, stored or sent (CONTRACT §1)
  const grant = () => {
    granted = !optedOut;
    enableStorage(granted && !config.cookieless);
  };
  // A `required` site must call consent(true) first; the grant is remembered for its next pages.
  if (!config.consentRequired) grant();
  else {
    enableStorage(!config.cookieless);
    const remembered = load(CONSENT);
    enableStorage(false);
    if (remembered) grant();
  }

  const transport = createTransport(config.endpoint, QUEUE + '_' + config.site, ids, scrubbing(config.keep));
  /** forgets the queue and the ids (and `keys`), in memory and in storage */
  const forget = (...keys: string[]) => {
    held = [];
    transport.clear();
    [VISITOR, SESSION, ...keys].forEach(remove);
    visitor = null;
    known = false;
  };
  // and what an earlier page stored before the visitor opted out is removed, never sent
  if (optedOut) forget(CONSENT);
  /** an excluded page of this site leaves no trace, not even as the next page's referrer */
  const excludedPage = (href: string) => !href.indexOf(location.origin + '/') && matches(config.exclude, href);

  const emit: Emit = (type, data, envelope) => {
    if (optedOut) return;
    const url = envelope?.url || document.URL;
    const referrer = envelope?.referrer;
    // Per-page-view signals hear of excluded pages too: the previous page's time ends there.
    if (type === 'pageview') pageViewed(url);
    if (matches(config.exclude, url)) return;
    // scrubbed, and its title cut, as the transport sends or stores it (lib/scrub.ts)
    const event = {
      id: uuid(),
      type: type as EventType,
      ts: envelope?.ts || Date.now(),
      url,
      referrer: referrer && excludedPage(referrer) ? null : referrer,
      title: document.title,
      data,
    } as WireEvent;
    if (!granted) {
      if (held.push(event) > MAX_HELD) held.shift();
      return;
    }
    session.t = event.ts; // saved when the page is hidden: a storage write per event costs the page
    transport.add(event);
  };

  // page views first, so that later signals see the page they measure
  const views = optedOut ? undefined : safe(startPageviews)(emit, config);
  const stops = optedOut ? [] : signals.map((start) => safe(start)(emit, config) || (() => {}));
  if (views) stops.unshift(views.stop);
  /** a page view waiting for its route to render goes out with what is sent now */
  const settle = () => views && safe(views.settle)();
  // Bubbling on window: after every signal's capturing listener, even those of signals that started
  // later, so that their closing events (pageleave, a pending rage burst …) go out in the beacon.
  const leave = () => {
    ids();
    save(SESSION, session); // no-op in cookieless mode or without consent: storage is off
    transport.flush(true);
  };
  stops.push(
    on(window, 'visibilitychange', () => document.visibilityState === 'hidden' && leave(), false),
    on(window, 'pagehide', leave, false),
  );

  const api: Api = {
    track: (name, props) => emit('custom', { name: String(name), props }),
    // a relative URL is resolved now: the event is scrubbed later, maybe on another page
    page: (url) => (settle(), emit('pageview', { nav: 'manual' }, { url: url && new URL(url, document.URL).href, referrer: document.URL })),
    identify: (customer, traits) => (customer == null ? api.reset() : emit('identify', { customer: String(customer), traits })),
    reset() {
      transport.flush(true); // with this visitor's ids, before they go
      forget();
      session.id = uuid();
    },
    consent(yes) {
      if (yes) {
        grant();
        save(CONSENT, 1);
        held.splice(0).forEach((e) => transport.add(e));
      } else {
        granted = false;
        forget(CONSENT);
        enableStorage(false);
      }
    },
    faqVote: (article, helpful) => emit('faq', { action: 'vote', article: String(article), helpful: !!helpful }),
    nps: (score, comment) => {
      if (Number.isInteger(score) && score >= 0 && score <= 10) emit('nps', { score, comment });
    },
    flush: () => (settle(), transport.flush().catch(() => {})),
    stop: () => stops.splice(0).forEach((stop) => safe(stop)()),
  };
  for (const k of Object.keys(api) as (keyof Api)[]) (api as any)[k] = safe(api[k] as any);
  // flush must still return a Promise when it fails
  const flush = api.flush;
  api.flush = () => flush() || Promise.resolve();
  return api;
}

/**
 * Enrichment at ingest: turns a validated wire batch into what the store keeps. Times move to the
 * server clock (rejecting what is too far off), URLs get their page path, a cookieless batch gets
 * its daily visitor hash, and the client is described (browser, OS, device class, country) — the
 * IP is used for the country and the hash and then forgotten. Bots are recognised here. Every
 * URL, title and free-text field is scrubbed by the same rules as in the SDK (protocol/src/scrub.ts;
 * DEFINITIONS "Privacy: what is scrubbed"), for what an old script or another sender did not scrub.
 * A search engine's referrer keeps the values of the parameters that carry its terms (scrubbed by
 * shape), and only those beyond the kept ones: the session's search term is read from the referrer
 * as stored, so that ingest and `kizuna reclassify` read the same term, with nothing in it that
 * scrubbing removes (DEFINITIONS "Search terms and scrubbing").
 */
import { scrubEvent, scrubText, scrubUrl, type ValidBatch } from '@kizuna/protocol';
import { searchTermParams } from './acquisition/search-term-params.ts';
import type { DeviceClass } from '../lib/device.ts';
import { pagePath } from '../lib/page-path.ts';
import type { Site } from '../sites/index.ts';
import { retentionCutoff } from '../sites/retention.ts';
import { correctedTime } from './clock.ts';
import { acquisitionColumns, type AcquisitionColumns } from './session-acquisition.ts';
import { deviceClass, parseUserAgent } from './user-agent.ts';

/** What enrichment needs from the app: the clock, the cookieless hasher (./visitor.ts) and GeoIP (./geo.ts). */
export interface EnrichDeps {
  now: () => number;
  visitorHash: (site: string, ip: string, userAgent: string, now: number) => Promise<string>;
  country: (ip: string) => string | null;
}

export interface RequestContext {
  ip: string;
  userAgent: string;
  site: Site;
}

/** An event as the store keeps it: on the server clock, with its page path. */
export interface EnrichedEvent {
  id: string;
  type: string;
  ts: number;
  url: string;
  /** url path with the query string dropped and ids folded (DEFINITIONS: page grouping) */
  path: string;
  referrer?: string | null;
  title?: string | null;
  data: Record<string, unknown>;
}

/** The client a batch came from: the same for every session it starts. */
export interface Client {
  device: DeviceClass;
  browser: string;
  os: string;
  country: string | null;
}

/** One visitor's batch, enriched: what the store writes. */
export interface EnrichedBatch {
  siteId: string;
  /** the site's time zone: rollups are per local day */
  timezone: string;
  visitorId: string;
  events: EnrichedEvent[];
  /** customer id from an `identify` event in the batch */
  customerId?: string;
  client: Client;
  /** where a session landing on this URL from this referrer came from, as the session's columns */
  acquire: (landingUrl: string, referrer: string | null) => AcquisitionColumns;
}

export type Enriched = (EnrichedBatch & { bot: false; rejected: number }) | { bot: true; rejected: number };

export async function enrichBatch(deps: EnrichDeps, batch: ValidBatch, request: RequestContext): Promise<Enriched> {
  const ua = parseUserAgent(request.userAgent);
  const now = deps.now();
  const events: EnrichedEvent[] = [];
  let customerId: string | undefined;
  const keep = batch.keep ?? [];
  const scrub = (href: string) => scrubUrl(href, keep);
  const scrubReferrer = (href: string) => scrubUrl(href, keep.concat(searchTermParams(href)));
  // an event the site would already have forgotten is not stored
  const oldest = retentionCutoff(request.site.retentionDays, now);
  for (const raw of batch.events) {
    const ts = correctedTime(raw.ts, batch.sentAt, now, oldest);
    // only web pages are pages, and only web links are links (no javascript:, data:, file: …)
    if (ts === undefined || !isWebUrl(raw.url) || (typeof raw.data.url === 'string' && !isWebUrl(raw.data.url))) continue;
    const e = scrubEvent(raw, scrub, scrubText, scrubReferrer);
    if (e.type === 'identify') customerId = String(e.data.customer);
    const referrer = e.referrer && REFERRER.test(e.referrer) ? e.referrer : null;
    events.push({ id: e.id, type: e.type, ts, url: e.url, path: pagePath(e.url), referrer, title: e.title, data: e.data });
  }
  const rejected = batch.events.length - events.length;
  if (ua.isBot) return { bot: true, rejected };

  const viewport = events.find((e) => e.type === 'pageview' && typeof e.data.vw === 'number')?.data.vw as number | undefined;
  const siteHosts = siteHostsOf(request.site);
  return {
    bot: false,
    rejected,
    siteId: batch.site,
    timezone: request.site.timezone,
    visitorId: batch.visitor ?? (await deps.visitorHash(batch.site, request.ip, request.userAgent, now)),
    events,
    customerId,
    client: { device: deviceClass(viewport, ua.device), browser: ua.browser, os: ua.os, country: deps.country(request.ip) },
    acquire: (landingUrl, referrer) => acquisitionColumns({ landingUrl, referrer, userAgent: request.userAgent, siteHosts }),
  };
}

const WEB_URL = /^https?:\/\//i;
/** A referrer names a web page, or an Android app (`android-app://com.instagram.android`: enrich/acquisition). */
const REFERRER = /^(?:https?|android-app):\/\//i;
const isWebUrl = (url: string) => WEB_URL.test(url);

/** The site's own hosts: its origins' hosts, and its id when that is a host name. */
export function siteHostsOf(site: Site): string[] {
  const hosts = site.origins.map((o) => new URL(o).hostname);
  return site.id.includes('.') ? [...hosts, site.id] : hosts;
}

/**
 * The Kizuna wire protocol (CONTRACT §3), declared once.
 *
 * The collector validates every request body with {@link batchSchema}; the SDK imports only the
 * inferred types (`import type`), so the schema costs the browser script 0 bytes.
 *
 * Everything here comes from a browser and is hostile: every string is bounded, made well formed
 * (a lone UTF-16 surrogate — half an emoji cut by a careless `slice` — becomes U+FFFD: PostgreSQL
 * refuses it in `jsonb`) and stripped of control characters (NUL, which PostgreSQL refuses in
 * `text`, and the rest but tab and line breaks) and of bidirectional overrides (they would reorder
 * what a report shows around them); every number is finite and bounded, every list and record has
 * a maximum size, and a record never takes a key that names a prototype.
 */
import { z } from 'zod';

// the SDK imports the scrubbing from '@kizuna/protocol/scrub', without zod
export { KEPT_PARAMS, REDACTED, scrubEvent, scrubText, scrubUrl } from './scrub.ts';

/** Request bodies larger than this are refused with 413; the SDK keeps each beacon under 60 KB. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Events in one batch: the SDK sends at most 20 at a time, more only when replaying its offline queue. */
export const MAX_EVENTS_PER_BATCH = 200;
/** Beaconed event ids one batch may ask about (the SDK keeps at most 500 events). */
export const MAX_CONFIRM = 500;
/** Query parameters a site may keep beyond the default ones (`data-keep-params`). */
export const MAX_KEEP = 50;

/** C0 and C1 controls but tab, line feed and carriage return; the bidirectional embeddings, overrides and isolates. */
const UNSHOWABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
/** A string as the collector keeps it: well formed, without what must not be stored or shown. */
export const clean = (s: string) => s.toWellFormed().replace(UNSHOWABLE, '');
/** A bounded browser string, cleaned. */
const str = (max: number) => z.string().max(max).transform(clean);
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const num = (min: number, max: number) => z.number().min(min).max(max);
/** Milliseconds since the epoch, between 2020 and 2100: anything else is a broken clock or a forgery. */
const epochMs = int(1_577_836_800_000, 4_102_444_800_000);

const propValue = z.union([str(500), z.number().finite(), z.boolean()]);
/** A flat object of string / number / boolean, at most 30 keys of ≤ 64 characters. */
/** Keys that name a prototype: `{"__proto__": …}` must never become one. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const props = z
  .record(str(64), propValue)
  .refine((o) => Object.keys(o).length <= 30, { message: 'at most 30 properties' })
  .transform((o) => Object.fromEntries(Object.entries(o).filter(([k]) => !PROTOTYPE_KEYS.has(k))));

export const VITAL_NAMES = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'] as const;
export const RATINGS = ['good', 'needs-improvement', 'poor'] as const;
export const FRICTION_KINDS = [
  'rage_click',
  'dead_click',
  'quick_back',
  'error_click',
  'not_found',
  'excessive_scroll',
] as const;

const selector = str(512);
const url = str(2048);

/** `data` of each event type: the discriminated union the collector validates against. */
export const eventDataSchemas = {
  pageview: z.object({
    lang: str(35).optional(),
    vw: int(0, 100_000).optional(),
    vh: int(0, 100_000).optional(),
    /** true when the SDK saw a 404 (responseStatus or `<meta name="kizuna:status" content="404">`) */
    notFound: z.boolean().optional(),
    /** how the view was seen: first load, history/hash navigation, or `kizuna.page()` */
    nav: z.enum(['load', 'push', 'replace', 'pop', 'hash', 'manual']).optional(),
  }),
  pageleave: z.object({
    /** engaged time on the page view, ms (DEFINITIONS: engaged time) */
    engaged: int(0, 86_400_000),
    /** scroll depth, percent of the page height seen */
    scroll: int(0, 100),
  }),
  vital: z.object({
    name: z.enum(VITAL_NAMES),
    value: num(0, 3_600_000),
    rating: z.enum(RATINGS),
    selector: selector.optional(),
  }),
  timing: z.object({
    dns: num(0, 600_000).optional(),
    connect: num(0, 600_000).optional(),
    ttfb: num(0, 600_000).optional(),
    domInteractive: num(0, 600_000).optional(),
    load: num(0, 600_000).optional(),
    status: int(0, 999).optional(),
    /** the browser's IANA time zone (sent here, after load, as resolving it is slow) */
    tz: str(64).optional(),
  }),
  friction: z.object({
    kind: z.enum(FRICTION_KINDS),
    selector: selector.optional(),
    count: int(1, 10_000).default(1),
  }),
  faq: z.object({
    action: z.enum(['view', 'search', 'vote']),
    article: str(200).optional(),
    title: str(300).optional(),
    query: str(200).optional(),
    results: int(0, 1_000_000).optional(),
    helpful: z.boolean().optional(),
  }),
  support: z.object({ via: z.enum(['page', 'click']).optional(), selector: selector.optional() }),
  share: z.object({ network: str(40), url: url.optional() }),
  outbound: z.object({ url }),
  custom: z.object({ name: str(120).pipe(z.string().min(1)), props: props.optional() }),
  identify: z.object({ customer: str(256).pipe(z.string().min(1)), traits: props.optional() }),
  nps: z.object({ score: int(0, 10), comment: str(1000).optional() }),
  error: z.object({ message: str(500), source: str(512).optional(), line: int(0, 10_000_000).optional() }),
} as const;

export type EventType = keyof typeof eventDataSchemas;
export const EVENT_TYPES = Object.keys(eventDataSchemas) as EventType[];

const envelope = {
  /** uuid v4, unique per event: the collector stores each id once */
  id: z.uuid(),
  /** client clock, ms since the epoch; corrected by the batch's sentAt */
  ts: epochMs,
  url,
  referrer: url.nullish(),
  title: str(512).nullish(),
};

export const eventSchema = z.discriminatedUnion(
  'type',
  EVENT_TYPES.map((type) =>
    z.object({ ...envelope, type: z.literal(type), data: eventDataSchemas[type] }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

export const batchSchema = z.object({
  site: str(100).pipe(z.string().min(1)),
  /** null in cookieless mode: the collector derives a daily-rotating hash */
  visitor: str(64).nullable(),
  /** the client's session id: a hint, the collector sessionizes on its own */
  session: str(64),
  sentAt: epochMs,
  events: z.array(eventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
  /**
   * ids of events an earlier page sent in a beacon, whose answer nobody could read: the 202 says
   * which of them the collector never got (`missing`), and the SDK sends those again
   */
  confirm: z.array(z.uuid()).max(MAX_CONFIRM).optional(),
  /** the query parameters the site keeps beyond the default ones (`data-keep-params`): the collector's scrubbing keeps them too */
  keep: z.array(str(64)).max(MAX_KEEP).optional(),
});

/** The `data` of an event of type T, as it travels on the wire. */
export type EventData<T extends EventType = EventType> = z.input<(typeof eventDataSchemas)[T]>;

/** One event as the SDK sends it. */
export type WireEvent<T extends EventType = EventType> = T extends EventType
  ? { id: string; type: T; ts: number; url: string; referrer?: string | null; title?: string | null; data: EventData<T> }
  : never;

/** One beacon body as the SDK sends it. */
export interface WireBatch {
  site: string;
  visitor: string | null;
  session: string;
  sentAt: number;
  events: WireEvent[];
  confirm?: string[];
  keep?: string[];
}

/** A validated event, as the collector receives it. */
export type ValidEvent = { id: string; type: EventType; ts: number; url: string; referrer?: string | null; title?: string | null; data: Record<string, unknown> };
export type ValidBatch = Omit<z.output<typeof batchSchema>, 'events'> & { events: ValidEvent[] };

/** The 202 response body. */
export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** of the batch's `confirm` ids, those never stored (only when it asked) */
  missing?: string[];
}

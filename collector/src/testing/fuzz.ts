/**
 * Hostile input for the collector, generated with fast-check: events bodies (from well-formed
 * batches carrying hostile strings, numbers and keys, to broken shapes and bytes that are not JSON)
 * and report query strings. The fuzz test (ingest/fuzz.test.ts, 1,000 cases in `npm test`) and the
 * fuzz benchmark (bench/fuzz.ts, ≥ 10,000) send them: the collector must answer 2xx or 4xx, never 5xx.
 */
import fc from 'fast-check';
import { EVENT_TYPES, FRICTION_KINDS, VITAL_NAMES } from '@kizuna/protocol';

/** Strings a browser — or an attacker — can send: lone surrogates, NUL and controls, bidi overrides, emoji, very long. */
export const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '%FF', '%zz', '%',
    '\ud83d', '\udc00x', 'a\u0000b', '\u202e\u2066evil', '\u0007\u001b[31m', '__proto__', 'constructor', 'javascript:alert(1)',
    '<script>alert(1)</script>', "'; drop table events; --", '=HYPERLINK("x")', '返品\ud800', 'x'.repeat(5000), '',
  ),
);

const hostileNumber = fc.oneof(
  fc.integer(), fc.double(), fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 63, Number.MAX_SAFE_INTEGER + 2, 1_577_836_800_000, 4_102_444_800_001),
);
/** Any JSON value, hostile ones favoured. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }));
/** An object with hostile keys (prototype names among them). */
const hostileObject = fc.dictionary(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'prototype')), anyValue, { maxKeys: 35 });

const url = fc.oneof(fc.webUrl(), hostileString, fc.constantFrom('https://s.example/?email=a@b.c#access_token=x', 'data:text/html,x', 'file:///etc/passwd'));

/** The data of an event: mostly of its type's shape (values hostile), sometimes anything. */
const dataOf = fc.oneof(
  fc.record({ name: hostileString, props: hostileObject }, { requiredKeys: [] }),
  fc.record({ kind: fc.oneof(fc.constantFrom(...FRICTION_KINDS), hostileString), selector: hostileString, count: hostileNumber }, { requiredKeys: [] }),
  fc.record({ name: fc.oneof(fc.constantFrom(...VITAL_NAMES), hostileString), value: hostileNumber, rating: hostileString }, { requiredKeys: [] }),
  fc.record({ action: fc.constantFrom('view', 'search', 'vote', 'x'), query: hostileString, results: hostileNumber, helpful: anyValue }, { requiredKeys: [] }),
  fc.record({ score: hostileNumber, comment: hostileString, customer: hostileString, traits: hostileObject, url }, { requiredKeys: [] }),
  fc.record({ engaged: hostileNumber, scroll: hostileNumber, vw: hostileNumber, message: hostileString }, { requiredKeys: [] }),
  hostileObject,
  anyValue,
);

const event = (now: number) =>
  fc.record(
    {
      id: fc.oneof(fc.uuid({ version: 4 }), fc.uuid({ version: 4 }), hostileString),
      type: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.constantFrom(...EVENT_TYPES), hostileString),
      ts: fc.oneof(fc.integer({ min: now - 8 * 86_400_000, max: now + 120_000 }), hostileNumber),
      url: fc.oneof(fc.constant('https://fuzz.example/page'), url),
      referrer: fc.oneof(fc.constant(null), url),
      title: fc.oneof(hostileString, fc.constant(null)),
      data: dataOf,
    },
    { requiredKeys: ['id', 'type', 'ts', 'url', 'data'] },
  );

const short = (max: number) => hostileString.map((s) => s.slice(0, max));
/** Events of every type, of the protocol's shape, their strings hostile: the collector stores them. */
const validEvent = (now: number) =>
  fc
    .record({
      id: fc.uuid({ version: 4 }),
      ts: fc.integer({ min: now - 6 * 86_400_000, max: now }),
      url: fc.oneof(fc.constant('https://fuzz.example/page'), short(200).map((p) => `https://fuzz.example/${encodeURIComponent(p.toWellFormed())}`)),
      referrer: fc.oneof(fc.constant(null), fc.webUrl(), short(100)),
      title: short(500),
      kind: fc.integer({ min: 0, max: 6 }),
      text: short(100),
      other: short(100),
      n: fc.integer({ min: 0, max: 10 }),
      props: fc.dictionary(short(64), fc.oneof(short(100), fc.integer(), fc.boolean()), { maxKeys: 30 }),
    })
    .map(({ kind, text, other, n, props, ...e }) => {
      const [type, data] = (
        [
          ['pageview', { lang: text.slice(0, 35), vw: n * 100 }],
          ['custom', { name: text || 'x', props }],
          ['faq', { action: 'search', query: text, results: n }],
          ['nps', { score: n, comment: other }],
          ['error', { message: text, source: other }],
          ['friction', { kind: 'rage_click', selector: text, count: n + 1 }],
          ['identify', { customer: text || 'c', traits: props }],
        ] as const
      )[kind]!;
      return { ...e, type, data };
    });

/** An events body: a batch (valid site, hostile content), a broken batch, or bytes. */
export const eventsBody = (site: string, now: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.array(validEvent(now), { minLength: 1, maxLength: 20 }).map((events) =>
      JSON.stringify({ site, visitor: null, session: 's', sentAt: now, events })) },
    { weight: 6, arbitrary: fc.record({
      site: fc.oneof(fc.constant(site), fc.constant(site), hostileString),
      visitor: fc.oneof(fc.uuid(), fc.constant(null), hostileString),
      session: fc.oneof(fc.constant('s'), hostileString),
      sentAt: fc.oneof(fc.constant(now), hostileNumber),
      events: fc.oneof(fc.array(event(now), { minLength: 1, maxLength: 25 }), anyValue),
    }).map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: anyValue.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  );

/** A report path with a hostile query string: dates, formats, tables, sorts, pages, funnel steps. */
export const reportQuery = fc
  .record(
    {
      report: fc.oneof(fc.constantFrom('overview', 'acquisition', 'usability', 'faq', 'visitors', 'journeys', 'goals'), hostileString),
      from: fc.oneof(fc.constantFrom('2026-11-01', '2026-02-31', '0000-01-01', '1970-01-01', '9999-12-31', '2026-13-01'), hostileString),
      to: fc.oneof(fc.constantFrom('2026-11-10', '1969-12-31', '2026-11-10T00:00'), hostileString),
      format: fc.oneof(fc.constantFrom('json', 'csv', 'xml'), hostileString),
      table: fc.oneof(fc.constantFrom('series', 'hotSpots', 'channels', 'funnel'), hostileString),
      sort: fc.oneof(fc.constantFrom('score', 'lastSeen', 'nope'), hostileString),
      order: fc.oneof(fc.constantFrom('asc', 'desc'), hostileString),
      limit: fc.oneof(hostileNumber.map(String), hostileString),
      offset: fc.oneof(fc.constantFrom('9223372036854775808', '-1', '0'), hostileNumber.map(String), hostileString),
      steps: fc.oneof(fc.constantFrom('/,/pricing,event:Signup', ',,,', 'event:', Array(11).fill('/a').join(',')), hostileString),
    },
    { requiredKeys: ['report'] },
  )
  .map(({ report, ...query }) => `/reports/${encode(report)}?${Object.entries(query).map(([k, v]) => `${k}=${encode(String(v))}`).join('&')}`);

/** A visitor id for the timeline and erasure routes. */
export const visitorPath = hostileString.map((id) => `/visitors/${encode(id || 'x')}`);

/**
 * Percent-encoding that lets hostile strings through: a lone surrogate becomes the UTF-8 bytes no
 * decoder accepts (%ED%A0%BD), and a few raw, malformed escapes (`%`, `%zz`, `%FF`) pass as they are.
 */
function encode(s: string): string {
  return s.replace(/[\ud800-\udfff]|[^\ud800-\udfff]+/g, (part) =>
    part.length === 1 && /[\ud800-\udfff]/.test(part) ? '%ED%A0%BD' : encodeURIComponent(part)).replace(/%25(FF|zz)/g, '%$1');
}

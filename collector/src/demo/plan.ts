/**
 * A plan of traffic over a span of days: visitors and their sessions (start, seed, ordinal), until
 * the sessions hold a number of events. Only seeds are kept: each session's events are generated
 * again from its seed when they are written (model.ts `generateSession` is deterministic), so a
 * plan of a million events takes a few megabytes. The database benchmark (bench/generate.ts) and
 * the demo's first-start seed (./seed.ts) write the same kind of site from it.
 *
 * The shape of the traffic: local hours with quiet nights, a lunch bump and an evening peak,
 * busier weekends, a site growing over the span; most visitors come once and a few come back
 * often (a power law); a visitor who comes back is more often a customer, and a fifth of the
 * customers are seen again on a second device, identified as the same customer.
 */
import { randomUUID } from 'node:crypto';
import { generateSession, makeVisitor, type Emit, type Visitor } from './model.ts';
import { Rng } from './random.ts';

const MIN = 60_000;

export interface PlanOptions {
  /** the same seed gives the same plan (visitor ids aside: they are random UUIDs) */
  seed: number;
  /** the site's origin, for the events' URLs */
  origin: string;
  /** the span of the traffic, ms: sessions start after `from` and end before `to` */
  from: number;
  to: number;
  /** the site's time zone: the traffic curve follows its local hours */
  timezone: string;
  /** plan sessions until they hold this many events */
  events: number;
  /** events planned so far, now and then */
  onProgress?: (events: number) => void;
}

/** Visitors and sessions as parallel arrays (a million events are ~100,000 sessions). */
export interface TrafficPlan {
  visitors: Visitor[];
  /** per visitor: first and last event, and whether a session of it identifies the customer */
  vFirst: number[];
  vLast: number[];
  vIdentified: boolean[];
  /** per session: its visitor (index into `visitors`), start, seed and the visitor's sessions before it */
  sVisitor: number[];
  sStart: number[];
  sSeed: number[];
  sOrdinal: number[];
  events: number;
}

/** Local hour weights (site time zone ≈ JST): quiet nights, a lunch bump, evening peak. */
const HOUR = [3, 2, 1.2, 0.8, 0.6, 0.7, 1.2, 2, 2.8, 3, 3.2, 3.4, 4, 3.5, 3.2, 3.2, 3.3, 3.5, 3.8, 4.2, 4.8, 5.2, 4.8, 4];
const MAX_TRAFFIC = 5.2 * 1.15 * 1.15;

export function planTraffic(o: PlanOptions): TrafficPlan {
  const offsetMs = tzOffset(o.timezone);
  const traffic = (t: number) => {
    const local = new Date(t + offsetMs);
    const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6 ? 1.15 : 1;
    const growth = 0.85 + 0.3 * ((t - o.from) / (o.to - o.from)); // a growing site
    return HOUR[local.getUTCHours()]! * weekend * growth;
  };
  const sampleTime = (rng: Rng) => {
    for (let i = 0; i < 200; i++) {
      const t = o.from + rng.next() * (o.to - o.from);
      if (rng.next() * MAX_TRAFFIC < traffic(t)) return t;
    }
    return o.from + rng.next() * (o.to - o.from);
  };

  const master = new Rng(o.seed);
  const p: TrafficPlan = { visitors: [], vFirst: [], vLast: [], vIdentified: [], sVisitor: [], sStart: [], sSeed: [], sOrdinal: [], events: 0 };
  const customers: string[] = [];
  let count = 0;
  let first = 0;
  let last = 0;
  let identified = false;
  const counting: Emit = (type, ts) => {
    count++;
    last = Math.max(last, ts);
    first = Math.min(first, ts);
    if (type === 'identify') identified = true;
  };
  for (let guard = 0; p.events < o.events && guard < 100_000_000; guard++) {
    const vr = new Rng(master.u32());
    // power law: most visitors come once, a few come back often
    const k = Math.min(40, Math.floor(Math.pow(vr.next() || 1e-9, -1 / 1.6)));
    const customer = vr.chance(k >= 2 ? 0.35 : 0.06);
    let customerId: string | undefined;
    if (customer) {
      // a customer seen on another device (cross-device identify) …
      if (customers.length > 10 && vr.chance(0.2)) customerId = customers[customers.length - 1 - vr.int(Math.min(1000, customers.length))];
      else customers.push((customerId = `cus_${(customers.length + 1).toString(36).padStart(6, '0')}`));
    }
    const visitor = makeVisitor(vr, randomUUID(), customerId);
    const starts = Array.from({ length: k }, () => sampleTime(vr)).sort((a, b) => a - b);
    const vi = p.visitors.length;
    let ordinal = 0;
    let prevEnd = -Infinity;
    let vFirst = 0;
    let vLast = 0;
    let vIdentified = false;
    for (const s0 of starts) {
      // a new session only after 30 minutes without an event (DEFINITIONS: session)
      const start = Math.round(Math.max(s0, prevEnd + 30 * MIN + vr.range(1, 180) * MIN));
      if (start > o.to - 2 * MIN) break;
      const sessionSeed = vr.u32();
      count = 0;
      first = start;
      last = start;
      identified = false;
      generateSession(new Rng(sessionSeed), { origin: o.origin, visitor, start, ordinal }, counting);
      if (last > o.to) break; // it would end after the span
      p.sVisitor.push(vi);
      p.sStart.push(start);
      p.sSeed.push(sessionSeed);
      p.sOrdinal.push(ordinal);
      p.events += count;
      if (ordinal === 0) vFirst = first;
      vLast = last;
      vIdentified ||= identified;
      prevEnd = last;
      ordinal++;
      if (p.events >= o.events) break;
    }
    if (ordinal === 0) continue;
    p.visitors.push(visitor);
    p.vFirst.push(vFirst);
    p.vLast.push(vLast);
    p.vIdentified.push(vIdentified);
    o.onProgress?.(p.events);
  }
  return p;
}

/** The UTC offset of a time zone now, ms (for the traffic curve only). */
function tzOffset(tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
    .formatToParts(Date.now())
    .reduce<Record<string, number>>((o, p) => ((o[p.type] = Number(p.value)), o), {});
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
  return Math.round((local - Date.now()) / MIN) * MIN;
}

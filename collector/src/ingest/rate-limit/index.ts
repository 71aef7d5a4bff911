/**
 * A token bucket per client: `burst` requests at once, then `perSecond`. Over it, 429 with
 * Retry-After (CONTRACT §3). In memory, per process: a flood from one address is cut where it lands.
 *
 * @example app.post('/api/v1/events', rateLimit({ key: (c) => clientIp(c), perSecond: 20, burst: 100 }))
 */
import type { Context, MiddlewareHandler } from 'hono';

export interface RateLimitOptions {
  key: (c: Context) => string;
  perSecond: number;
  burst: number;
  now?: () => number;
  /** buckets kept at most; the oldest are forgotten first */
  maxKeys?: number;
}

export function rateLimit({ key, perSecond, burst, now = Date.now, maxKeys = 50_000 }: RateLimitOptions): MiddlewareHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return async function rateLimit(c, next) {
    const k = key(c);
    const t = now();
    const b = buckets.get(k) ?? { tokens: burst, at: t };
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
    b.at = t;
    buckets.delete(k); // re-insert so the map stays ordered by last use
    buckets.set(k, b);
    if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
    if (b.tokens < 1) {
      c.header('Retry-After', String(Math.ceil((1 - b.tokens) / perSecond)));
      return c.json({ error: 'rate limited' }, 429);
    }
    b.tokens -= 1;
    return next();
  };
}

/**
 * Token buckets: `burst` requests at once, then `perSecond`. Over it, 429 with Retry-After
 * (CONTRACT §3). In memory, per process: a flood is cut where it lands. Ingest keeps one set of
 * buckets per client IP (the middleware) and one per site (each site's own limits, `tokenBuckets`).
 *
 * @example app.post('/api/v1/events', rateLimit({ key: (c) => clientIp(c), perSecond: 20, burst: 100 }))
 */
import type { Context, MiddlewareHandler } from 'hono';

export interface Rate {
  perSecond: number;
  burst: number;
}

export interface BucketOptions {
  now?: () => number;
  /** buckets kept at most; the least recently used are forgotten first */
  maxKeys?: number;
}

/**
 * Buckets by key. `take(key, rate)` spends a token and answers 0, or, when there is none, the
 * seconds until there will be one.
 */
export function tokenBuckets({ now = Date.now, maxKeys = 50_000 }: BucketOptions = {}) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return function take(key: string, { perSecond, burst }: Rate): number {
    const t = now();
    const b = buckets.get(key) ?? { tokens: burst, at: t };
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
    b.at = t;
    buckets.delete(key); // re-insert so the map stays ordered by last use
    buckets.set(key, b);
    if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
    if (b.tokens < 1) return Math.ceil((1 - b.tokens) / perSecond);
    b.tokens -= 1;
    return 0;
  };
}

/** 429 with Retry-After (and the `error` every refusal of the collector has). */
export const tooMany = (c: Context, retryAfter: number) => {
  c.header('Retry-After', String(retryAfter));
  return c.json({ error: 'rate limited' }, 429);
};

export interface RateLimitOptions extends Rate, BucketOptions {
  key: (c: Context) => string;
}

/** A middleware limiting requests per `key(c)`. */
export function rateLimit({ key, perSecond, burst, ...options }: RateLimitOptions): MiddlewareHandler {
  const take = tokenBuckets(options);
  return async function rateLimit(c, next) {
    const wait = take(key(c), { perSecond, burst });
    return wait ? tooMany(c, wait) : next();
  };
}

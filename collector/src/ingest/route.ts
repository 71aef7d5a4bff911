/**
 * `POST /api/v1/events` (CONTRACT §3): validate → check site and origin → enrich → queue for the
 * group-commit writer (store/writer.ts) → 202 once stored.
 *
 * Bodies arrive as `text/plain` (sendBeacon, no CORS preflight) or `application/json`. Every
 * failure names what is wrong: 400 with the bad field, 403 unknown site or origin (or no origin,
 * for a site that takes none), 413 too large, 429 rate limited (per client IP, and per site), 503
 * when the collector cannot take more now (its queue is full, or the database is down), each with
 * the CORS headers the page needs to read it. The 202 is sent only after the batch's flush committed.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { batchSchema, MAX_BODY_BYTES, type IngestResult, type ValidBatch } from '@kizuna/protocol';
import type { AppDeps } from '../deps.ts';
import { enrichBatch } from '../enrich/index.ts';
import { localDate } from '../lib/dates.ts';
import { invalid } from '../lib/errors.ts';
import { missingIds } from '../store/events.ts';
import { rateLimit, tokenBuckets, tooMany } from './rate-limit/index.ts';

export function ingestRoutes(deps: AppDeps) {
  const app = new Hono();
  const perSite = tokenBuckets({ now: deps.now });

  // Every answer of the endpoint, errors included, can be read by the page that sent the request:
  // it holds nothing but what became of that request (the SDK reads why a site refuses it).
  app.use('/', async (c, next) => {
    const origin = c.req.header('origin');
    if (origin && c.req.method === 'POST') allowOrigin(c, origin);
    await next();
  });

  // A preflight (a page sending application/json) is allowed for origins some site takes events from.
  app.options('/', async (c) => {
    const origin = c.req.header('origin');
    if (origin && (await deps.siteOrigin(origin))) {
      allowOrigin(c, origin);
      c.header('Access-Control-Allow-Methods', 'POST, OPTIONS');
      c.header('Access-Control-Allow-Headers', 'Content-Type');
      c.header('Access-Control-Max-Age', '86400');
    }
    return c.body(null, 204);
  });

  app.post(
    '/',
    rateLimit({ key: (c) => deps.clientIp(c), ...deps.rateLimit, now: deps.now }),
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: `body over the limit of ${MAX_BODY_BYTES} bytes` }, 413) }),
    async (c) => {
      const body = await c.req.text();
      const batch = parseBatch(body);
      const site = await deps.site(batch.site);
      const origin = c.req.header('origin');
      // a 403 says what the operator runs to fix it: the SDK prints it once in the page's console
      if (!site) throw new HTTPException(403, { message: `unknown site: ${batch.site} (to add it: kizuna site add ${batch.site} --origin ${origin ?? '<origin>'})` });
      if (origin === undefined && !site.settings.acceptServerSide) {
        // Browsers always send Origin on a cross-site POST: a request without one comes from a tool or a server
        throw new HTTPException(403, { message: `site ${site.id} takes events from browsers only (requests without Origin are refused)` });
      }
      if (origin !== undefined && !site.origins.includes(origin)) throw new HTTPException(403, { message: `origin not allowed for site ${site.id}: ${origin} (to allow it: kizuna site update ${site.id} --add-origin ${origin})` });
      const wait = perSite(site.id, site.settings.rateLimit ?? deps.siteRateLimit);
      if (wait) return tooMany(c, wait);

      const enriched = await enrichBatch(deps, batch, { ip: deps.clientIp(c), userAgent: c.req.header('user-agent') ?? '', site });
      if (enriched.bot) {
        // Counted per site, never stored as a visitor (CONTRACT §3: rejected); acknowledged so that a well-behaved bot does not retry.
        deps.writer.countBot(site.id, localDate(deps.now(), site.timezone));
        return c.json({ accepted: 0, duplicates: 0, rejected: batch.events.length } satisfies IngestResult, 202);
      }
      const [stored, missing] = await Promise.all([
        enriched.events.length ? deps.writer.write(enriched, body.length) : { accepted: 0, duplicates: 0 },
        batch.confirm?.length ? missingIds(deps.db.driver, batch.confirm) : undefined,
      ]);
      return c.json({ ...stored, rejected: enriched.rejected, ...(missing && { missing }) } satisfies IngestResult, 202);
    },
  );
  return app;
}

function allowOrigin(c: Context, origin: string) {
  c.header('Access-Control-Allow-Origin', origin);
  c.header('Access-Control-Expose-Headers', 'Retry-After');
  c.header('Vary', 'Origin');
}

/** JSON → validated batch, or a 400 that names the first bad field. */
function parseBatch(body: string): ValidBatch {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw invalid('body', 'body is not valid JSON');
  }
  const result = batchSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw invalid(issue.path.join('.') || 'body', issue.message);
  }
  return result.data as ValidBatch;
}

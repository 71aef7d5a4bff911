/**
 * `POST /api/v1/events` (CONTRACT §3): validate → check site and origin → enrich → store → 202.
 *
 * Bodies arrive as `text/plain` (sendBeacon, no CORS preflight) or `application/json`. Every
 * failure names what is wrong: 400 with the bad field, 403 unknown site or origin, 413 too large,
 * 429 rate limited. The 202 is sent only after the batch's transaction has committed.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { batchSchema, MAX_BODY_BYTES, type IngestResult, type ValidBatch } from '@kizuna/protocol';
import type { AppDeps } from '../deps.ts';
import { enrichBatch } from '../enrich/index.ts';
import { localDate } from '../lib/dates.ts';
import { invalid } from '../lib/errors.ts';
import { countBotHit } from '../store/bot-hits.ts';
import { storeBatch } from '../store/events.ts';
import { rateLimit } from './rate-limit/index.ts';

export function ingestRoutes(deps: AppDeps) {
  const app = new Hono();

  // Any page may ask; only a registered origin gets an answer it can read (checked per site below).
  app.options('/', (c) => {
    cors(c, c.req.header('origin'));
    c.header('Access-Control-Allow-Methods', 'POST, OPTIONS');
    c.header('Access-Control-Allow-Headers', 'Content-Type');
    c.header('Access-Control-Max-Age', '86400');
    return c.body(null, 204);
  });

  app.post(
    '/',
    rateLimit({ key: (c) => deps.clientIp(c), perSecond: deps.rateLimit?.perSecond ?? 50, burst: deps.rateLimit?.burst ?? 200 }),
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: `body over the limit of ${MAX_BODY_BYTES} bytes` }, 413) }),
    async (c) => {
      const batch = parseBatch(await c.req.text());
      const site = await deps.site(batch.site);
      if (!site) throw new HTTPException(403, { message: `unknown site: ${batch.site}` });
      const origin = c.req.header('origin');
      // Browsers always send Origin on a cross-site POST; tools without one are judged by the site id alone.
      if (origin && !site.origins.includes(origin)) throw new HTTPException(403, { message: `origin not allowed for site ${site.id}: ${origin}` });
      cors(c, origin);

      const enriched = await enrichBatch(deps, batch, { ip: deps.clientIp(c), userAgent: c.req.header('user-agent') ?? '', site });
      const accepted = batch.events.length - enriched.rejected;
      if (enriched.bot) {
        // Counted per site, never stored as a visitor; acknowledged so that a well-behaved bot does not retry.
        await countBotHit(deps.db.driver, site.id, localDate(deps.now(), site.timezone));
        return c.json({ accepted, duplicates: 0, rejected: enriched.rejected } satisfies IngestResult, 202);
      }
      const stored = accepted ? await storeBatch(deps.db.driver, enriched) : { accepted: 0, duplicates: 0 };
      return c.json({ ...stored, rejected: enriched.rejected } satisfies IngestResult, 202);
    },
  );
  return app;
}

function cors(c: Context, origin: string | undefined) {
  if (origin) {
    c.header('Access-Control-Allow-Origin', origin);
    c.header('Vary', 'Origin');
  }
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

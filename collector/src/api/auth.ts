/**
 * Report API authentication (CONTRACT §4): `Authorization: Bearer <token>`; a token reads only its
 * own sites. Sets `site` on the context for the handlers.
 */
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps } from '../deps.ts';
import type { Site } from '../sites/index.ts';
import { sitesOfToken } from '../sites/tokens.ts';

export type AuthEnv = { Variables: { site: Site } };

export const requireSiteToken = (deps: AppDeps) =>
  createMiddleware<AuthEnv>(async function requireSiteToken(c, next) {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token) throw new HTTPException(401, { message: 'missing bearer token' });
    const siteId = c.req.param('site') ?? '';
    const site = (await sitesOfToken(deps.db.sql, token, deps.now())).includes(siteId) ? await deps.site(siteId) : undefined;
    if (!site) throw new HTTPException(403, { message: `this token cannot read site ${siteId}` });
    c.set('site', site);
    await next();
  });

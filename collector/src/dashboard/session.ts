/**
 * Who reads the dashboard: the session cookie (sites/dashboard-sessions.ts), the reader's language,
 * and the site of the URL, which the session's token must read. Every state-changing form also
 * carries the session's CSRF token (checked here) beside the Origin check of `hono/csrf`.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppDeps } from '../deps.ts';
import type { Site } from '../sites/index.ts';
import { ABSOLUTE_MS, csrfMatches, sessionOf, type DashboardSession } from '../sites/dashboard-sessions.ts';
import { formatFor, type Format } from './format.ts';
import { chooseLang, translator, type Lang, type Translate } from './messages.ts';

export const SESSION_COOKIE = 'kizuna_session';
const LANG_COOKIE = 'kizuna_lang';
/** Cookies of the dashboard are sent to its pages only. */
export const COOKIE_PATH = '/dashboard';

export type ReaderEnv = { Variables: { lang: Lang; t: Translate } };
export type DashEnv = {
  Variables: ReaderEnv['Variables'] & { session: DashboardSession; cookie: string; site: Site; fmt: Format };
};

/** Whether the request came over https (directly, or through a proxy the operator trusts). */
export const isHttps = (deps: AppDeps, c: Context) =>
  new URL(c.req.url).protocol === 'https:' || (deps.trustProxy && c.req.header('x-forwarded-proto') === 'https');

export function setSessionCookie(deps: AppDeps, c: Context, value: string) {
  setCookie(c, SESSION_COOKIE, value, {
    path: COOKIE_PATH,
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(deps, c),
    maxAge: ABSOLUTE_MS / 1000,
  });
}

/** The reader's language (./messages.ts chooseLang); `?lang=` is remembered in a cookie. */
export const reader = (deps: AppDeps) =>
  createMiddleware<ReaderEnv>(async function reader(c, next) {
    const param = c.req.query('lang');
    const lang = chooseLang(param, getCookie(c, LANG_COOKIE), c.req.header('accept-language'));
    if (param === lang)
      setCookie(c, LANG_COOKIE, lang, { path: COOKIE_PATH, sameSite: 'Lax', secure: isHttps(deps, c), maxAge: 365 * 86_400 });
    c.set('lang', lang);
    c.set('t', translator(lang));
    await next();
  });

/** A signed-in reader, or a redirect to the sign-in form that comes back here. */
export const signedIn = (deps: AppDeps) =>
  createMiddleware<DashEnv>(async function signedIn(c, next) {
    const cookie = getCookie(c, SESSION_COOKIE);
    const session = cookie ? await sessionOf(deps.db.sql, cookie, deps.now()) : undefined;
    if (!cookie || !session) {
      const here = new URL(c.req.url);
      return c.redirect(`/dashboard/sign-in?next=${encodeURIComponent(here.pathname + here.search)}`, 303);
    }
    c.set('session', session);
    c.set('cookie', cookie);
    return next();
  });

/** The site of the URL, when the session's token reads it (403 otherwise, unknown or not). */
export const siteOfUrl = (deps: AppDeps, forbidden: (c: Context<DashEnv>) => Response | Promise<Response>) =>
  createMiddleware<DashEnv>(async function siteOfUrl(c, next) {
    const siteId = c.req.param('site') ?? '';
    const site = c.get('session').sites.includes(siteId) ? await deps.site(siteId) : undefined;
    if (!site) return forbidden(c);
    c.set('site', site);
    c.set('fmt', formatFor(c.get('lang'), site.timezone));
    return next();
  });

/** A POST whose `csrf` field is the session's; anything else is refused before its handler runs. */
export const csrfField = (refused: (c: Context<DashEnv>) => Response | Promise<Response>) =>
  createMiddleware<DashEnv>(async function csrfField(c, next) {
    if (c.req.method === 'POST') {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      if (!csrfMatches(c.get('session'), form.csrf)) return refused(c);
    }
    return next();
  });

/** A `next=` target that stays on the dashboard (never another origin: `//host`, `/\host`). */
export const dashboardPath = (next: string | undefined) =>
  next && /^\/dashboard(\/|$|\?)/.test(next) && !/[\\\r\n]/.test(next) ? next : '/dashboard';

/**
 * The marketers' dashboard at `/dashboard` (issue #16): server-rendered pages, readable without
 * script, behind a session opened with a report token or a one-time link. Each page reads the
 * report modules directly (./pages/); its tables download as CSV from the report API's own routes,
 * mounted read-only behind the session at `/dashboard/data/` — the same code answers both.
 */
import { readFileSync } from 'node:fs';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { createMiddleware } from 'hono/factory';
import { reportRoutes } from '../api/reports.ts';
import type { AuthEnv } from '../api/auth.ts';
import type { AppDeps } from '../deps.ts';
import { signIn, signInWithLink, signOut } from '../sites/dashboard-sessions.ts';
import { PAGES, Plain, sitePath, withLang } from './layout.tsx';
import { render } from './page.tsx';
import { pageRoutes } from './pages/index.tsx';
import { securityHeaders } from './security.ts';
import { COOKIE_PATH, csrfField, dashboardPath, isHttps, reader, SESSION_COOKIE, setSessionCookie, signedIn, siteOfUrl, type DashEnv } from './session.ts';

const STYLESHEET = readFileSync(new URL('./style.css', import.meta.url), 'utf8');

export function dashboardRoutes(deps: AppDeps) {
  const app = new Hono<DashEnv>();
  app.use(securityHeaders((url) => new URL(url).protocol === 'https:' || deps.trustProxy));
  // a form posted from another origin is refused before anything reads it (the CSRF field is checked too, below)
  app.use(csrf());
  app.use(reader(deps));

  app.get('/static/style.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });

  app.get('/sign-in', (c) => render(c, <SignInForm c={c} next={c.req.query('next')} />));
  app.post('/sign-in', async (c) => {
    const form = await c.req.parseBody();
    const cookie = typeof form.token === 'string' ? await signIn(deps.db.sql, form.token.slice(0, 200), deps.now()) : undefined;
    if (!cookie) return render(c, <SignInForm c={c} next={String(form.next ?? '')} failed />, 403);
    setSessionCookie(deps, c, cookie);
    return c.redirect(dashboardPath(String(form.next ?? '')), 303);
  });
  // A link may be fetched by a chat's preview robot: opening it only shows a button; the POST uses it.
  app.get('/sign-in/:link', (c) => {
    const t = c.get('t');
    return render(
      c,
      <Plain lang={c.get('lang')} title={t('signIn.linkTitle')}>
        <form method="post">
          <p>{t('signIn.linkHelp')}</p>
          <button type="submit">{t('signIn.submit')}</button>
        </form>
      </Plain>,
    );
  });
  app.post('/sign-in/:link', async (c) => {
    const cookie = await signInWithLink(deps.db.sql, c.req.param('link'), deps.now());
    const t = c.get('t');
    if (!cookie)
      return render(c, <Plain lang={c.get('lang')} title={t('signIn.linkTitle')}><p class="error" role="alert">{t('signIn.linkFailed')}</p><p><a href="/dashboard/sign-in">{t('signIn.title')}</a></p></Plain>, 403);
    setSessionCookie(deps, c, cookie);
    return c.redirect('/dashboard', 303);
  });

  const refusedForm = (c: Context<DashEnv>) => errorPage(c, 403, 'error.csrf');
  app.post('/sign-out', signedIn(deps), csrfField(refusedForm), async (c) => {
    await signOut(deps.db.sql, c.get('cookie'));
    deleteCookie(c, SESSION_COOKIE, { path: COOKIE_PATH, secure: isHttps(deps, c) });
    return c.redirect('/dashboard/sign-in', 303);
  });

  app.get('/', signedIn(deps), (c) => c.redirect(sitePath(c.get('session').sites[0] ?? '', 'overview'), 303));
  app.get('/switch', signedIn(deps), async (c) => {
    const site = c.req.query('site') ?? '';
    const page = PAGES.find((p) => p === c.req.query('page')) ?? 'overview';
    if (!c.get('session').sites.includes(site)) return errorPage(c, 403, 'error.forbidden');
    return c.redirect(sitePath(site, page), 303);
  });

  const forbidden = (c: Context<DashEnv>) => errorPage(c, 403, 'error.forbidden');
  app.use('/s/:site/*', signedIn(deps), siteOfUrl(deps, forbidden), csrfField(refusedForm));
  app.route('/s/:site', pageRoutes(deps));

  // the report API's routes, read-only, for the CSV link of every table
  app.use('/data/*', signedIn(deps), createMiddleware(async (c, next) => (c.req.method === 'GET' ? next() : errorPage(c, 405, 'error.readOnly'))));
  // the API's routes are typed for their own context; the session's middleware set the rest of it before
  app.route('/data', reportRoutes(deps, siteOfUrl(deps, forbidden) as unknown as MiddlewareHandler<AuthEnv>));

  app.notFound((c) => errorPage(c, 404, 'notFound.title'));
  return app;
}

function errorPage(c: Context<DashEnv>, status: 403 | 404 | 405, message: 'error.csrf' | 'error.forbidden' | 'error.readOnly' | 'notFound.title') {
  const t = c.get('t');
  return render(
    c,
    <Plain lang={c.get('lang')} title={status === 404 ? t('notFound.title') : t('error.title')}>
      <p class="error" role="alert">{t(message)}</p>
      <p><a href="/dashboard">{t('app.name')}</a></p>
    </Plain>,
    status,
  );
}

function SignInForm(props: { c: Context<DashEnv>; next: string | undefined; failed?: boolean }) {
  const t = props.c.get('t');
  return (
    <Plain lang={props.c.get('lang')} title={t('signIn.title')}>
      {props.failed && <p class="error" role="alert">{t('signIn.failed')}</p>}
      <form method="post" action="/dashboard/sign-in">
        <label for="token">{t('signIn.token')}</label>
        <input id="token" name="token" type="password" autocomplete="off" required maxlength={200} aria-describedby="token-help" />
        <p id="token-help" class="note">{t('signIn.help')}</p>
        <input type="hidden" name="next" value={dashboardPath(props.next)} />
        <button type="submit">{t('signIn.submit')}</button>
      </form>
      <p><a href={withLang(props.c.req.url, props.c.get('lang') === 'ja' ? 'en' : 'ja')}>{t('lang.switch')}</a></p>
    </Plain>
  );
}

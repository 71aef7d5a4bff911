/**
 * The shop (shop.ts) in React 19 + React Router 7, as its users write one: `<BrowserRouter>` or
 * `<HashRouter>` (the page's `data-router`), titles set in an effect, redirects by `<Navigate
 * replace>` and by `navigate(…, { replace: true })` from an effect. No JSX: the repository's
 * TypeScript check reads `.ts` files only.
 */
import { createElement as h, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, HashRouter, Link, Navigate, Route, Routes, useNavigate } from 'react-router';
import { LINKS, PAGES, REDIRECTS, SESSION_MS, SLOW, title } from './shop';

const { router, base } = document.documentElement.dataset;

function Page({ name }: { name: string }) {
  useEffect(() => {
    const timer = setTimeout(() => (document.title = title(name)), SLOW[name] ?? 0);
    return () => clearTimeout(timer);
  }, [name]);
  return h('main', null, h('h1', null, name), name === 'FAQ' && h('section', { id: 'shipping' }, h('h2', null, 'Shipping')));
}

/** renders, then replaces itself with `to` after `ms` (a session check, or at once) */
function Redirect({ to, ms = 0 }: { to: string; ms?: number }) {
  const navigate = useNavigate();
  useEffect(() => {
    const timer = setTimeout(() => navigate(to, { replace: true }), ms);
    return () => clearTimeout(timer);
  }, [navigate, to, ms]);
  return h('p', null, 'One moment…');
}

const Router = router === 'hash' ? HashRouter : BrowserRouter;

createRoot(document.getElementById('root')!).render(
  h(
    Router,
    { basename: router === 'hash' ? undefined : base },
    // (an attribute the test finds the link by: JSX would take it, the props' type does not)
    h('nav', null, ...LINKS.map(({ to, replace }) => h(Link, { key: to, to, replace, ...({ 'data-to': to } as object) }, to))),
    h(
      Routes,
      null,
      ...Object.entries(PAGES).map(([path, name]) => h(Route, { key: path, path, element: h(Page, { name }) })),
      h(Route, { key: 'component', path: REDIRECTS.component.from, element: h(Redirect, { to: REDIRECTS.component.to }) }),
      h(Route, { key: 'config', path: REDIRECTS.config.from, element: h(Navigate, { to: REDIRECTS.config.to, replace: true }) }),
      h(Route, { key: 'auth', path: REDIRECTS.auth.from, element: h(Redirect, { to: REDIRECTS.auth.to, ms: SESSION_MS }) }),
    ),
  ),
);

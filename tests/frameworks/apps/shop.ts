/**
 * The small shop that both framework apps render (react.ts, vue.ts), each the way its router's
 * users write one, and the journey the test drives through it with the page views it must give:
 * the known truth. Routes are the router's paths; the test maps them to URLs for each history mode.
 */

/** the pages, by route, with the name their title carries */
export const PAGES: Record<string, string> = {
  '/': 'Home',
  '/pricing': 'Pricing',
  '/faq': 'FAQ',
  '/docs': 'Docs',
  '/about': 'About',
  '/login': 'Log in',
  '/contact': 'Contact',
};

/** the title a page sets once rendered, as most apps do in an effect or an `afterEach` hook */
export const title = (name: string) => `${name} · Kizuna Shop`;

/** pages whose title waits for their data: the title comes this many ms after the render */
export const SLOW: Record<string, number> = { Pricing: 80 };

/** How the routes that never show a page of their own lead elsewhere. */
export const REDIRECTS = {
  /** a component that renders and then replaces the route (`<Navigate replace>`, `onMounted → router.replace`) */
  component: { from: '/old-docs', to: '/docs' },
  /** declared in the route table (`redirect:` in vue-router, a route element `<Navigate replace>` in React Router) */
  config: { from: '/legacy', to: '/about' },
  /** a page that checks the session first (a fetch: {@link SESSION_MS}) and then sends the visitor to log in */
  auth: { from: '/account', to: '/login?next=account' },
};
export const SESSION_MS = 60;

/** the links of the nav bar; `replace` ones replace the history entry (`<Link replace>`, `<RouterLink replace>`) */
export const LINKS: { to: string; replace?: boolean }[] = [
  { to: '/' },
  { to: '/pricing' },
  { to: '/pricing?plan=monthly' },
  { to: '/faq' },
  { to: '/faq#shipping' },
  { to: REDIRECTS.component.from },
  { to: REDIRECTS.config.from },
  { to: REDIRECTS.auth.from },
  { to: '/login?mode=signup', replace: true },
  { to: '/contact' },
];

export type Step = { click: string } | { back: true } | { forward: true };

/**
 * The journey from `/`: each step, the route the app is on after it, and whether that is a new page
 * view (an anchor on the same page is not; a redirect gives one view, of where it led).
 */
export const JOURNEY: { step: Step; at: string; view: boolean }[] = [
  { step: { click: '/pricing' }, at: '/pricing', view: true },
  { step: { click: '/pricing?plan=monthly' }, at: '/pricing?plan=monthly', view: true }, // a query change
  { step: { click: '/faq' }, at: '/faq', view: true },
  { step: { click: '/faq#shipping' }, at: '/faq#shipping', view: false }, // an anchor
  { step: { click: REDIRECTS.component.from }, at: REDIRECTS.component.to, view: true },
  { step: { click: REDIRECTS.config.from }, at: REDIRECTS.config.to, view: true },
  { step: { back: true }, at: REDIRECTS.component.to, view: true },
  { step: { back: true }, at: '/faq#shipping', view: true }, // back to the FAQ, at its anchor
  { step: { forward: true }, at: REDIRECTS.component.to, view: true },
  { step: { forward: true }, at: REDIRECTS.config.to, view: true },
  { step: { click: REDIRECTS.auth.from }, at: REDIRECTS.auth.to, view: true },
  { step: { click: '/login?mode=signup' }, at: '/login?mode=signup', view: true }, // a replace, after a while
  { step: { click: '/contact' }, at: '/contact', view: true },
  { step: { back: true }, at: '/login?mode=signup', view: true },
  { step: { back: true }, at: REDIRECTS.config.to, view: true }, // the redirects replaced their entries
  { step: { forward: true }, at: '/login?mode=signup', view: true },
];

/** the route's page name: its path without query and fragment */
export const pageOf = (route: string) => PAGES[route.replace(/[?#].*/, '')]!;

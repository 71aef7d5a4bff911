/**
 * The shop (shop.ts) in Vue 3 + vue-router 4, as its users write one: `createWebHistory` or
 * `createWebHashHistory` (the page's `data-router`), titles from route meta in `afterEach`, a
 * `redirect:` in the route table and `router.replace` from `onMounted`. Render functions: no
 * template compiler in the bundle.
 */
import { createApp, defineComponent, h, nextTick, onMounted, onUnmounted } from 'vue';
import { createRouter, createWebHashHistory, createWebHistory, RouterLink, RouterView, useRouter } from 'vue-router';
import { LINKS, PAGES, REDIRECTS, SESSION_MS, SLOW, title } from './shop';

const { router: mode, base } = document.documentElement.dataset;

const page = (name: string) =>
  defineComponent({
    name,
    render: () => h('main', [h('h1', name), name === 'FAQ' ? h('section', { id: 'shipping' }, [h('h2', 'Shipping')]) : null]),
  });

/** renders, then replaces itself with `to` after `ms` (a session check, or at once) */
const redirect = (to: string, ms = 0) =>
  defineComponent({
    setup() {
      const router = useRouter();
      let timer: ReturnType<typeof setTimeout>;
      onMounted(() => (timer = setTimeout(() => router.replace(to), ms)));
      onUnmounted(() => clearTimeout(timer));
      return () => h('p', 'One moment…');
    },
  });

const router = createRouter({
  history: mode === 'hash' ? createWebHashHistory() : createWebHistory(base + '/'),
  routes: [
    ...Object.entries(PAGES).map(([path, name]) => ({ path, component: page(name), meta: { name } })),
    { path: REDIRECTS.component.from, component: redirect(REDIRECTS.component.to) },
    { path: REDIRECTS.config.from, redirect: REDIRECTS.config.to },
    { path: REDIRECTS.auth.from, component: redirect(REDIRECTS.auth.to, SESSION_MS) },
  ],
});

let timer: ReturnType<typeof setTimeout>;
router.afterEach((to) => {
  const name = to.meta.name as string | undefined;
  clearTimeout(timer);
  if (name) nextTick(() => (timer = setTimeout(() => (document.title = title(name)), SLOW[name] ?? 0)));
});

createApp({
  render: () => [h('nav', LINKS.map(({ to, replace }) => h(RouterLink, { to, replace, 'data-to': to }, () => to))), h(RouterView)],
})
  .use(router)
  .mount('#root');

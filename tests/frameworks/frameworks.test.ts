/**
 * Issue #12, "SDK in the wild": React 19 + React Router 7 and Vue 3 + vue-router 4 apps, each in
 * history and hash mode, built from the npm packages (build.ts) and driven in Chromium through the
 * same journey of pushes, replaces, backs, forwards, redirects, a query change and an anchor
 * (apps/shop.ts), whose page views are known. Asserted on the beacons the recording proxy saw: the
 * views' count, URL, title and referrer, and every event sent once.
 */
import { expect, it } from 'vitest';
import { scrubUrl, type WireEvent } from '@kizuna/protocol';
import { pageErrors, useStack } from '../e2e/harness.ts';
import { eventually } from '../e2e/stack.ts';
import { APPS, buildApps, type App } from './build.ts';
import { JOURNEY, pageOf, title, type Step } from './apps/shop.ts';

const env = useStack({ site: buildApps });

/** how long the visitor stays on each page of the journey once it has rendered */
const READ_MS = 300;

const urlOf = (app: App, route: string) => env.site.url + app.base + (app.router === 'hash' ? '/#' + route : route);
/** a route's URL as the SDK sends it: scrubbed (`?plan=***`, an anchor dropped; DEFINITIONS, privacy) */
const sentUrlOf = (app: App, route: string) => scrubUrl(urlOf(app, route));

/** the page views the journey must give, in order */
const truth = (app: App) => {
  const views = [{ url: sentUrlOf(app, '/'), title: title('Home'), referrer: null as string | null }];
  for (const { at, view } of JOURNEY) if (view) views.push({ url: sentUrlOf(app, at), title: title(pageOf(at)), referrer: views.at(-1)!.url });
  return views;
};

const act = (page: Awaited<ReturnType<typeof env.browser.newPage>>, step: Step) =>
  'click' in step
    ? page.click(`nav [data-to="${step.click}"]`)
    : 'back' in step
      ? page.goBack({ waitUntil: 'commit' })
      : page.goForward({ waitUntil: 'commit' });

it.each(APPS)(`$framework, $router mode: ${JOURNEY.length} navigations give their page views, with URL, title and referrer`, async (app) => {
  const page = await env.browser.newPage();
  const errors = pageErrors(page);
  const arrive = async (route: string) => {
    await page.waitForURL((u) => u.href === urlOf(app, route));
    await page.waitForFunction((t) => document.title === t, title(pageOf(route)));
    await page.waitForTimeout(READ_MS);
  };
  await page.goto(urlOf(app, '/'));
  await arrive('/');
  for (const { step, at } of JOURNEY) {
    await act(page, step);
    await arrive(at);
  }
  await page.close({ runBeforeUnload: true }); // page hide: the last view and what is queued go out

  const ofApp = (e: WireEvent) => e.url.startsWith(env.site.url + app.base);
  const expected = truth(app);
  const views = await eventually(async () => {
    const v = env.proxy.events().filter((e) => ofApp(e) && e.type === 'pageview');
    return v.length >= expected.length ? v : undefined;
  });
  expect(views.map(({ url, title, referrer }) => ({ url, title, referrer }))).toEqual(expected);
  const copies = [...env.proxy.copies()].filter(([id]) => env.proxy.events().some((e) => e.id === id && ofApp(e)));
  expect(copies.filter(([, n]) => n > 1)).toEqual([]);
  expect(errors).toEqual([]);
});

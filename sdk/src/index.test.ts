// @vitest-environment happy-dom
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import * as sdk from './index';
import { stubNetwork, type Network } from './testing/setup';

let net: Network;
beforeAll(() => {
  vi.useFakeTimers();
  net = stubNetwork();
});
afterAll(() => {
  sdk.init({ site: 'esm.example' })?.stop();
  vi.useRealTimers();
});

it('exports the contract API; calls made before init() are replayed in order after it', async () => {
  expect(Object.keys(sdk).sort()).toEqual(['consent', 'faqVote', 'flush', 'identify', 'init', 'nps', 'page', 'reset', 'track']);
  sdk.track('Early', { n: 1 });
  sdk.identify('cust-1');
  const api = sdk.init({ site: 'esm.example', endpoint: 'https://stats.example/' });
  expect(sdk.init({ site: 'other' })).toBe(api); // once
  sdk.nps(10);
  await sdk.flush();
  expect(net.fetches[0]!.site).toBe('esm.example');
  // the page view waits for the page to render (signals/pageviews.ts): flush() sends it last
  expect(net.events().map((e) => e.type)).toEqual(['custom', 'identify', 'nps', 'pageview']);
  expect((fetch as ReturnType<typeof vi.fn>).mock.calls[0]![0]).toBe('https://stats.example/api/v1/events');
});

// @vitest-environment happy-dom
import { afterAll, expect, it, vi } from 'vitest';
import { stubNetwork } from './testing/setup';

afterAll(() => (window as any).kizuna?.stop());

it('reads the script tag once, replaces the stub and replays its queue in order', async () => {
  vi.useFakeTimers();
  const net = stubNetwork();
  // the one-line stub of CONTRACT §1, called before the script loads
  (window as any).kizuna = function (...args: unknown[]) {
    ((window as any).kizuna.q = (window as any).kizuna.q || []).push(args);
  };
  (window as any).kizuna('track', 'Queued', { plan: 'pro' });
  (window as any).kizuna('identify', 'cust-9');
  const tag = document.createElement('script');
  tag.src = 'https://stats.example.com/kizuna.js';
  tag.setAttribute('data-site', 'tag.example');
  tag.setAttribute('data-spa', 'off');
  Object.defineProperty(document, 'currentScript', { configurable: true, value: tag });
  await import('./script');

  const kizuna = (window as any).kizuna;
  expect(typeof kizuna.track).toBe('function');
  kizuna('track', 'AfterLoad'); // the function form keeps working
  kizuna.track('Method');
  kizuna('no-such-call'); // ignored, never thrown
  await kizuna.flush();
  // the page view waits for the page to render (signals/pageviews.ts): flush() sends it last
  expect(net.events().map((e) => (e.type === 'custom' ? e.data.name : e.type))).toEqual(['Queued', 'identify', 'AfterLoad', 'Method', 'pageview']);
  // data-endpoint absent: the script's own origin
  expect((fetch as ReturnType<typeof vi.fn>).mock.calls[0]![0]).toBe('https://stats.example.com/api/v1/events');
  vi.useRealTimers();
});

// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { toConfig } from '../config';
import type { Emit } from '../types';
import { startShare } from './share';

const config = toConfig({ site: 'x', faq: '/faq*', support: '/contact*' }, 'https://c.example');
let emit: Mock<Emit>;
let stop: (() => void) | undefined;

const start = () => (stop = startShare(emit, config));
/** Clicks a link to `href` (the page cancels the navigation, as happy-dom would try to load it). */
const clickLink = (href: string, inside = document.body) => {
  inside.insertAdjacentHTML('beforeend', `<a href="${href}"><span>link</span></a>`);
  inside.querySelector('a:last-of-type span')!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
};
const cancelNavigation = (e: Event) => e.preventDefault();

beforeEach(() => {
  emit = vi.fn<Emit>();
  history.replaceState(null, '', '/post/1');
  document.body.innerHTML = '';
  window.addEventListener('click', cancelNavigation, true);
});
afterEach(() => {
  stop?.();
  stop = undefined;
  window.removeEventListener('click', cancelNavigation, true);
  delete (navigator as { share?: unknown }).share;
});

describe('share links', () => {
  it.each([
    ['https://twitter.com/intent/tweet?text=hi', 'x'],
    ['https://x.com/intent/post?text=hi', 'x'],
    ['https://www.facebook.com/sharer/sharer.php', 'facebook'],
    ['https://m.facebook.com/sharer.php', 'facebook'],
    ['https://line.me/R/share?text=hi', 'line'],
    ['https://social-plugins.line.me/lineit/share', 'line'],
    ['https://www.linkedin.com/sharing/share-offsite/', 'linkedin'],
    ['https://b.hatena.ne.jp/entry/s/shop.example/post/1', 'hatena'],
    ['https://www.pinterest.com/pin/create/button/', 'pinterest'],
    ['https://www.reddit.com/submit?title=hi', 'reddit'],
    ['https://bsky.app/intent/compose?text=hi', 'bluesky'],
    ['https://www.threads.net/intent/post?text=hi', 'threads'],
    ['https://www.threads.com/intent/post?text=hi', 'threads'],
  ])('classifies %s as %s, sharing this page when the link names no URL', (href, network) => {
    start();
    clickLink(href);
    expect(emit).toHaveBeenCalledExactlyOnceWith('share', { network, url: 'http://localhost:3000/post/1' });
  });

  it('sends the shared URL named by the link (url or u); the tracker scrubs it with every URL', () => {
    start();
    clickLink('https://x.com/intent/tweet?url=' + encodeURIComponent('https://shop.example/p?id=3&token=abc'));
    clickLink('https://www.facebook.com/sharer/sharer.php?u=' + encodeURIComponent('https://shop.example/q'));
    expect(emit.mock.calls).toEqual([
      ['share', { network: 'x', url: 'https://shop.example/p?id=3&token=abc' }],
      ['share', { network: 'facebook', url: 'https://shop.example/q' }],
    ]);
  });
});

describe('outbound links', () => {
  it('counts a link to another host that is not a share link, lookalike hosts included', () => {
    start();
    clickLink('https://partner.example/offer?session=s1&ref=kz');
    clickLink('https://x.com/kizuna');
    clickLink('https://notx.com/intent/tweet');
    expect(emit.mock.calls).toEqual([
      ['outbound', { url: 'https://partner.example/offer?session=s1&ref=kz' }],
      ['outbound', { url: 'https://x.com/kizuna' }],
      ['outbound', { url: 'https://notx.com/intent/tweet' }],
    ]);
  });

  it('ignores same-host links, non-web links and links in a data-kizuna-ignore region', () => {
    document.body.innerHTML = '<div data-kizuna-ignore></div>';
    start();
    clickLink('/pricing');
    clickLink('http://localhost:3000/faq');
    clickLink('mailto:help@shop.example');
    clickLink('tel:+81300000000');
    clickLink('https://partner.example/', document.querySelector('[data-kizuna-ignore]') as HTMLElement);
    expect(emit).not.toHaveBeenCalled();
  });
});

describe('navigator.share', () => {
  it('counts each call and returns what the browser returns, unchanged', async () => {
    const result = Promise.resolve();
    const share = vi.fn(function (this: Navigator) {
      expect(this).toBe(navigator);
      return result;
    });
    Object.defineProperty(navigator, 'share', { configurable: true, writable: true, value: share });
    start();
    expect(navigator.share({ url: '/post/1?token=t', title: 'Post' })).toBe(result);
    navigator.share({ text: 'hello' });
    expect(share).toHaveBeenCalledWith({ url: '/post/1?token=t', title: 'Post' });
    expect(share).toHaveBeenCalledTimes(2);
    expect(emit.mock.calls).toEqual([
      ['share', { network: 'native', url: '/post/1?token=t' }],
      ['share', { network: 'native', url: document.URL }],
    ]);
  });

  it('passes the browser’s refusal through, and counts even when sending fails', async () => {
    const refusal = new DOMException('Share canceled', 'AbortError');
    Object.defineProperty(navigator, 'share', { configurable: true, writable: true, value: () => Promise.reject(refusal) });
    stop = startShare(() => {
      throw new Error('queue broken');
    }, config);
    await expect(navigator.share({})).rejects.toBe(refusal);
  });

  it('is left alone when read-only, and links still count', () => {
    const share = vi.fn();
    Object.defineProperty(navigator, 'share', { configurable: true, get: () => share });
    expect(start).not.toThrow();
    clickLink('https://partner.example/');
    expect(navigator.share).toBe(share);
    expect(emit).toHaveBeenCalledExactlyOnceWith('outbound', { url: 'https://partner.example/' });
  });

  it('is left missing where the browser has none', () => {
    start();
    expect('share' in navigator).toBe(false);
  });

  it('is restored by stop()', () => {
    const share = vi.fn();
    Object.defineProperty(navigator, 'share', { configurable: true, writable: true, value: share });
    start();
    expect(navigator.share).not.toBe(share);
    stop!();
    expect(navigator.share).toBe(share);
    navigator.share({});
    expect(emit).not.toHaveBeenCalled();
  });
});

it('stop() removes the click listener', () => {
  start();
  stop!();
  clickLink('https://partner.example/');
  clickLink('https://x.com/intent/tweet');
  expect(emit).not.toHaveBeenCalled();
});

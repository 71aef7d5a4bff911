// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { toConfig } from '../config';
import { pageViewed } from '../lib/page';
import type { Emit } from '../types';
import { startSupport } from './support';

const config = toConfig({ site: 'x', faq: '/faq*', support: '/contact*' }, 'https://c.example');
let emit: Mock<Emit>;
let stop: (() => void) | undefined;

const start = () => (stop = startSupport(emit, config));
const $ = (selector: string) => document.querySelector(selector) as HTMLElement;
const navigate = (path: string) => {
  history.pushState({}, '', path);
  pageViewed(location.href);
};

beforeEach(() => {
  emit = vi.fn<Emit>();
  history.replaceState(null, '', '/');
  document.body.innerHTML = '';
});
afterEach(() => {
  stop?.();
  stop = undefined;
});

describe('support pages', () => {
  it('counts the current page when it matches data-support', () => {
    history.replaceState(null, '', '/contact');
    start();
    expect(emit).toHaveBeenCalledExactlyOnceWith('support', { via: 'page' }, { url: 'http://localhost:3000/contact' });
  });

  it('counts SPA page views of support pages, with their URL, and no others', () => {
    start();
    navigate('/pricing');
    navigate('/contact/form');
    navigate('/contacts-old/../faq');
    expect(emit.mock.calls).toEqual([['support', { via: 'page' }, { url: 'http://localhost:3000/contact/form' }]]);
  });
});

describe('support clicks', () => {
  it('counts a click inside a data-kizuna-support element, named by its value', () => {
    document.body.innerHTML = '<button data-kizuna-support="chat"><span>Chat with us</span></button><a href="#" data-kizuna-support>Call</a>';
    start();
    $('span').click();
    $('a').click();
    expect(emit.mock.calls).toEqual([
      ['support', { via: 'click', selector: '[data-kizuna-support="chat"]' }],
      ['support', { via: 'click', selector: undefined }],
    ]);
  });

  it('ignores other clicks and clicks in a data-kizuna-ignore region', () => {
    document.body.innerHTML = '<button id="buy">Buy</button><div data-kizuna-ignore><button data-kizuna-support="chat">Chat</button></div>';
    start();
    $('#buy').click();
    $('[data-kizuna-support]').click();
    expect(emit).not.toHaveBeenCalled();
  });
});

it('stop() removes every listener', () => {
  document.body.innerHTML = '<button data-kizuna-support>Chat</button>';
  start();
  stop!();
  $('button').click();
  navigate('/contact');
  expect(emit).not.toHaveBeenCalled();
});

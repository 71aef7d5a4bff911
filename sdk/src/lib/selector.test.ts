// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { selector } from './selector';

beforeEach(() => {
  document.body.innerHTML = '';
});

const html = (markup: string) => {
  document.body.innerHTML = markup;
  return (query: string) => document.querySelector(query)!;
};

describe('selector', () => {
  it('names the tag path with classes, below <body>', () => {
    const $ = html('<main><div class="card  wide"><span class="btn">Buy</span></div></main>');
    expect(selector($('span'))).toBe('main>div.card.wide>span.btn');
  });

  it('stops at the nearest element with an id, itself included', () => {
    const $ = html('<main id="m"><div class="card"><button id="buy" class="btn">Buy</button><i>x</i></div></main>');
    expect(selector($('button'))).toBe('button#buy.btn');
    expect(selector($('i'))).toBe('main#m>div.card>i');
  });

  it('keeps at most 5 levels', () => {
    const $ = html('<div><section><article><ul><li><a><b>x</b></a></li></ul></article></section></div>');
    expect(selector($('b'))).toBe('article>ul>li>a>b');
  });

  it('never contains text content or input values', () => {
    const $ = html('<form class="f"><input name="email" value="me@example.com" class="in"></form><p class="t">secret words</p>');
    ($('input') as HTMLInputElement).value = 'typed secret';
    expect(selector($('input'))).toBe('form.f>input.in');
    expect(selector($('p'))).toBe('p.t');
  });

  it('leaves out ids and classes that are not plain CSS identifiers', () => {
    const $ = html('<div id=":r1:"><span id="1st" class="md:flex w-1/2 ok _x -y">x</span></div>');
    expect(selector($('span'))).toBe('div>span.ok._x.-y');
  });

  it('is at most 200 characters, keeping the clicked end', () => {
    const many = Array.from({ length: 30 }, (_, i) => 'class' + i).join(' ');
    const $ = html(`<section class="${many}"><div class="${many}"><em>x</em></div></section>`);
    expect(selector($('em'))).toBe('em');
    const leaf = selector($('div'));
    expect(leaf.startsWith('div.class0.class1')).toBe(true);
    expect(leaf.length).toBe(200);
  });

  it('names SVG elements', () => {
    const $ = html('<button class="icon"><svg class="ico"><path d="M0 0"></path></svg></button>');
    expect(selector($('path'))).toBe('button.icon>svg.ico>path');
  });

  it('is empty for nothing', () => {
    expect(selector(null)).toBe('');
  });
});

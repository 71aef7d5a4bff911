// @vitest-environment happy-dom
import { afterEach, expect, it } from 'vitest';
import { cut } from './cut';
import { json } from './json';

const protos = [Array.prototype, Object.prototype, String.prototype, Date.prototype] as unknown as { toJSON?: unknown }[];
afterEach(() => protos.forEach((p) => delete p.toJSON));

it('writes the JSON that JSON.parse reads back, whatever toJSON the page put on the prototypes', () => {
  const value = { a: [1, 'two', true, null, { b: 'q"\\\n\u0001' }, undefined, () => 1], n: NaN, i: -Infinity, u: undefined, f: () => 1, e: [], s: '\ud83d' };
  const expected = JSON.stringify(value);
  // Prototype.js 1.6: Array#toJSON returns a JSON string, so JSON.stringify nests strings
  for (const p of protos) Object.defineProperty(p, 'toJSON', { configurable: true, writable: true, value: () => '"x"' });
  expect(JSON.parse(json(value))).toEqual(JSON.parse(expected));
  expect(JSON.stringify([1])).not.toBe('[1]'); // the page really is hostile
});

it('writes null for what JSON cannot hold, a BigInt too (JSON.stringify would throw)', () => {
  expect(json({ b: 1n, s: Symbol('s'), a: [1n] })).toBe('{"b":null,"s":null,"a":[null]}');
});

it('escapes a lone surrogate (half an emoji the page cut): the body stays valid UTF-8', () => {
  expect(json({ t: '\ud83d😀' })).toBe('{"t":"\\ud83d😀"}');
});

it('cuts strings on a code-point boundary', () => {
  expect(cut('ab😀', 3)).toBe('ab');
  expect(cut('ab😀', 4)).toBe('ab😀');
  expect(cut('abc', 2)).toBe('ab');
});

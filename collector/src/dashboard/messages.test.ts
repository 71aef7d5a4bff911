import { expect, it } from 'vitest';
import { chooseLang, MESSAGES, translator } from './messages.ts';

it('chooses the switch, then the cookie, then Accept-Language by q-value, else Japanese', () => {
  expect(chooseLang('en', 'ja', 'ja')).toBe('en');
  expect(chooseLang(undefined, 'en', 'ja')).toBe('en');
  expect(chooseLang('fr', 'xx', 'fr-FR, en-US;q=0.8, ja;q=0.9')).toBe('ja');
  expect(chooseLang(undefined, undefined, 'en-GB,en;q=0.9')).toBe('en');
  expect(chooseLang(undefined, undefined, 'ja;q=0, en;q=0.1')).toBe('en');
  expect(chooseLang(undefined, undefined, 'de')).toBe('ja');
  expect(chooseLang(undefined, undefined, undefined)).toBe('ja');
});

it('fills the holes of a message and leaves unknown ones visible', () => {
  const t = translator('en');
  expect(t('range.shown', { from: 'Mar 1', to: 'Mar 7' })).toBe('Mar 1 – Mar 7');
  expect(t('pending')).toBe('The figures of {n} day(s) of this period are being updated.');
});

it('has every message in both languages, none empty', () => {
  expect(Object.keys(MESSAGES.ja).sort()).toEqual(Object.keys(MESSAGES.en).sort());
  for (const table of Object.values(MESSAGES)) for (const [key, text] of Object.entries(table)) expect(text.trim(), key).not.toBe('');
});

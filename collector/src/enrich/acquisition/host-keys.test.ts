import { describe, expect, it } from 'vitest';
import { hostKeys } from './host-keys.ts';

describe('hostKeys: exact, www./m., the lists\' {} wildcard — and nothing else', () => {
  it.each([
    ['google.com', ['google.com']],
    ['www.google.de', ['www.google.de', 'google.de', 'www.google.{}', 'google.{}']],
    ['m.yandex.com.tr', ['m.yandex.com.tr', 'yandex.com.tr', 'm.yandex.{}', 'yandex.{}']],
    ['images.google.co.jp', ['images.google.co.jp', 'images.google.{}']],
    ['de.search.yahoo.com', ['de.search.yahoo.com', '{}.search.yahoo.com']],
    ['uk.zapmeta.de', ['uk.zapmeta.de', 'uk.zapmeta.{}', '{}.zapmeta.de', '{}.zapmeta.{}']],
  ])('%s → %j', (host, keys) => {
    expect(hostKeys(host)).toEqual(keys);
  });

  it('never yields a parent domain: news.yahoo.co.jp is not yahoo.co.jp', () => {
    expect(hostKeys('news.yahoo.co.jp')).not.toContain('yahoo.co.jp');
    expect(hostKeys('blog.naver.com')).toEqual(['blog.naver.com']);
  });
});

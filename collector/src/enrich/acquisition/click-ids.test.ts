import { describe, expect, it } from 'vitest';
import { KEPT_PARAMS } from '@kizuna/protocol';
import { CLICK_ID_RULES } from './click-ids.ts';
import { classify } from './test-helpers.ts';

const INSTAGRAM_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 334.0.4.32.98';

describe('click ids (DEFINITIONS table), alone on the landing', () => {
  it.each([
    ['gclid', 'google', 'cpc', 'Paid Search', null],
    ['gbraid', 'google', 'cpc', 'Paid Search', null],
    ['wbraid', 'google', 'cpc', 'Paid Search', null],
    ['dclid', 'google', 'display', 'Display', null],
    ['msclkid', 'bing', 'cpc', 'Paid Search', null],
    ['yclid', 'yandex', 'cpc', 'Paid Search', null],
    ['ttclid', 'tiktok', 'cpc', 'Paid Social', 'tiktok'],
    ['twclid', 'x', 'cpc', 'Paid Social', 'x'],
    ['li_fat_id', 'linkedin', 'cpc', 'Paid Social', 'linkedin'],
    ['ScCid', 'snapchat', 'cpc', 'Paid Social', 'snapchat'],
    ['epik', 'pinterest', 'cpc', 'Paid Social', 'pinterest'],
    ['rdt_cid', 'reddit', 'cpc', 'Paid Social', 'reddit'],
    ['fbclid', 'facebook', 'social', 'Organic Social', 'facebook'],
  ])('%s → %s / %s, %s', (param, source, medium, channel, network) => {
    expect(classify(`/?${param}=Cj0KCQ`)).toMatchObject({ source, medium, channel, network, clickId: param });
  });

  it('covers every click id of the table', () => {
    expect(CLICK_ID_RULES.map((r) => r.param).sort()).toEqual(
      ['dclid', 'epik', 'fbclid', 'gbraid', 'gclid', 'li_fat_id', 'msclkid', 'rdt_cid', 'ScCid', 'ttclid', 'twclid', 'wbraid', 'yclid'].sort(),
    );
  });

  it('every click id is a query parameter the scrubbing keeps (protocol/src/scrub.ts)', () => {
    expect(CLICK_ID_RULES.filter((r) => !KEPT_PARAMS.test(r.param))).toEqual([]);
  });

  it('ignores a click id with an empty value', () => {
    expect(classify('/?gclid=&msclkid=1')).toMatchObject({ source: 'bing', clickId: 'msclkid' });
  });
});

describe('yclid: Yahoo! JAPAN or Yandex', () => {
  it('is a Yahoo! JAPAN search ad from a yahoo.co.jp referrer', () => {
    expect(classify('/?yclid=abc', 'https://search.yahoo.co.jp/search?p=x')).toMatchObject({
      source: 'yahoo.co.jp', medium: 'cpc', channel: 'Paid Search', searchEngine: 'yahoo.co.jp',
    });
  });

  it('is a Yahoo! JAPAN search ad by its YSS. value, with no referrer', () => {
    expect(classify('/?yclid=YSS.1000123.EAIaIQ')).toMatchObject({ source: 'yahoo.co.jp', medium: 'cpc', channel: 'Paid Search' });
  });

  it('is a Yahoo! JAPAN display ad by its YJAD. value', () => {
    expect(classify('/?yclid=YJAD.1700000000.abc', 'https://news.yahoo.co.jp/')).toMatchObject({ source: 'yahoo.co.jp', medium: 'display', channel: 'Display' });
  });

  it('is Yandex otherwise', () => {
    expect(classify('/?yclid=5236437620', 'https://yandex.ru/')).toMatchObject({ source: 'yandex', medium: 'cpc', channel: 'Paid Search' });
  });
});

describe('fbclid: Facebook or Instagram', () => {
  it('is Instagram from an Instagram referrer', () => {
    expect(classify('/?fbclid=IwAR1', 'https://l.instagram.com/')).toMatchObject({ source: 'instagram', network: 'instagram', channel: 'Organic Social' });
  });

  it("is Instagram in Instagram's in-app browser", () => {
    expect(classify('/?fbclid=IwAR1', null, { userAgent: INSTAGRAM_UA })).toMatchObject({ source: 'instagram', network: 'instagram', inApp: true });
  });

  it('is never paid by itself: Meta adds it to organic clicks too', () => {
    expect(classify('/?fbclid=IwAR1', 'https://l.facebook.com/')).toMatchObject({ source: 'facebook', channel: 'Organic Social' });
  });

  it('is paid when the tags say so', () => {
    expect(classify('/?utm_source=facebook&utm_medium=paid&fbclid=IwAR1')).toMatchObject({ channel: 'Paid Social', clickId: 'fbclid' });
  });
});

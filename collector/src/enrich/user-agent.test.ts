import { describe, expect, it } from 'vitest';
import { IN_APP_USER_AGENTS } from './acquisition/in-app.fixtures.ts';
import { deviceClass, parseUserAgent, UA_CACHE_MAX } from './user-agent.ts';

const WINDOWS_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const IPHONE_SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const IPAD_SAFARI = 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const ANDROID_CHROME = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';

describe('parseUserAgent', () => {
  it.each([
    [WINDOWS_CHROME, { browser: 'Chrome', os: 'Windows', device: 'desktop', isBot: false }],
    [IPHONE_SAFARI, { browser: 'Mobile Safari', os: 'iOS', device: 'mobile', isBot: false }],
    [IPAD_SAFARI, { browser: 'Mobile Safari', os: 'iOS', device: 'tablet', isBot: false }],
    [ANDROID_CHROME, { browser: 'Chrome', os: 'Android', device: 'mobile', isBot: false }],
  ])('parses %s', (ua, expected) => {
    expect(parseUserAgent(ua)).toEqual(expected);
  });

  it('counts a smartwatch as mobile', () => {
    const watch = 'Mozilla/5.0 (Linux; Android 11; SM-R890 Build/RP1A.200720.012; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/104.0.5112.97 Mobile Safari/537.36 Watch';
    expect(parseUserAgent(watch).device).toBe('mobile');
  });

  it.each([
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36',
    'curl/8.5.0',
  ])('flags %s as a bot', (ua) => {
    expect(parseUserAgent(ua).isBot).toBe(true);
  });

  it.each(IN_APP_USER_AGENTS)('never flags a real in-app browser as a bot: %s', (_app, ua) => {
    expect(parseUserAgent(ua).isBot).toBe(false);
  });

  it.each([
    ['Apple News (iPhone)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 AppleNews/608.0.1 Version/2.0'],
    ['Apple News (Mac)', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) AppleNews/10000.0 Version/8.0'],
  ])('never flags the %s webview as a bot', (_app, ua) => {
    expect(parseUserAgent(ua).isBot).toBe(false);
  });

  it.each([
    ['AppleNewsBot, a browser UA with Twitterbot in it', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0'],
    ["WhatsApp's link preview", 'WhatsApp/2.23.20.0 A'],
    ["Snapchat's link preview", 'Snapchat/1.0 (compatible; Snapchat link preview)'],
    ["Facebook's crawler", 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
    ["Pinterest's crawler", 'Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)'],
  ])('still flags %s as a bot', (_name, ua) => {
    expect(parseUserAgent(ua).isBot).toBe(true);
  });

  it('flags an empty user agent as a bot, with unknown browser and OS', () => {
    expect(parseUserAgent('  ')).toEqual({ browser: '', os: '', device: 'desktop', isBot: true });
  });

  it('answers a repeated user agent from the cache, frozen', () => {
    const first = parseUserAgent(WINDOWS_CHROME);
    expect(parseUserAgent(WINDOWS_CHROME)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('keys the cache on the first 500 characters only', () => {
    const padded = (tail: string) => `${ANDROID_CHROME} ${'x'.repeat(600)}${tail}`;
    expect(parseUserAgent(padded('a'))).toBe(parseUserAgent(padded('b')));
  });

  it(`keeps at most ${UA_CACHE_MAX} user agents, evicting the oldest`, () => {
    const probe = parseUserAgent('Probe/1.0');
    for (let i = 0; i < UA_CACHE_MAX; i++) parseUserAgent(`Filler/${i}`);
    const again = parseUserAgent('Probe/1.0');
    expect(again).not.toBe(probe);
    expect(again).toEqual(probe);
    expect(parseUserAgent(`Filler/${UA_CACHE_MAX - 1}`)).toBe(parseUserAgent(`Filler/${UA_CACHE_MAX - 1}`));
  });
});

describe('deviceClass', () => {
  it('is mobile below 768 px of viewport, whatever the user agent says', () => {
    expect(deviceClass(767, 'desktop')).toBe('mobile');
  });

  it('is desktop from 768 px of viewport, whatever the user agent says', () => {
    expect(deviceClass(768, 'mobile')).toBe('desktop');
  });

  it.each([undefined, 0, Number.NaN])('falls back to the user agent without a viewport width (%s)', (width) => {
    expect(deviceClass(width, 'mobile')).toBe('mobile');
    expect(deviceClass(width, 'desktop')).toBe('desktop');
  });

  it('counts a tablet as desktop when only the user agent is known', () => {
    expect(deviceClass(undefined, 'tablet')).toBe('desktop');
  });
});

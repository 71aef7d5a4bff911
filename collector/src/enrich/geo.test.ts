import { beforeAll, describe, expect, it } from 'vitest';
import { createGeo, type Geo } from './geo.ts';

let geo: Geo;
beforeAll(async () => {
  geo = await createGeo();
});

describe('createGeo().country', () => {
  it.each([
    ['8.8.8.8', 'US'], // Google Public DNS
    ['1.1.1.1', 'AU'], // Cloudflare DNS, registered to APNIC's research lab in Australia
    ['133.242.0.3', 'JP'], // SAKURA Internet
    ['2001:4860:4860::8888', 'US'], // Google Public DNS over IPv6
  ])('finds the country of %s: %s', (ip, country) => {
    expect(geo.country(ip)).toBe(country);
  });

  it('reads an IPv4 peer as a dual-stack socket reports it (::ffff:a.b.c.d)', () => {
    expect(geo.country('::ffff:8.8.8.8')).toBe('US');
  });

  // The database itself answers AU or JP for these: the filter is what keeps them out.
  it.each(['192.168.1.1', '172.16.5.5', '198.51.100.1', '203.0.113.1', '2001:db8::1'])(
    'answers null for the private or documentation address %s',
    (ip) => {
      expect(geo.country(ip)).toBeNull();
    },
  );

  it.each(['10.0.0.1', '127.0.0.1', '::1', 'fe80::1'])('answers null for the local address %s', (ip) => {
    expect(geo.country(ip)).toBeNull();
  });

  // maxmind itself finds PL for '1.2.3'.
  it.each(['1.2.3', '', 'not an ip', '999.1.1.1', '8.8.8.8 ', 'fe80::1%eth0'])('answers null for the malformed address %j', (ip) => {
    expect(geo.country(ip)).toBeNull();
  });

  it('never throws, even on a value that is not a string', () => {
    expect(geo.country(undefined as unknown as string)).toBeNull();
  });
});

describe('createGeo', () => {
  it('fails at start, not at lookup, when the database is missing', async () => {
    await expect(createGeo('/nonexistent/kizuna-geo.mmdb')).rejects.toThrow();
  });
});

/**
 * Country of an IP address, offline: the CC0 geo-whois-asn-country database (ip-location-db),
 * read by maxmind. The file is opened once at start; lookups are synchronous after that. The IP
 * itself is never stored (DEFINITIONS: visitors), only the country.
 */
import { createRequire } from 'node:module';
import { BlockList, isIP } from 'node:net';
import maxmind, { type CountryResponse } from 'maxmind';

export interface Geo {
  /** ISO 3166-1 alpha-2 code (`JP`), or null for a private, reserved, unknown or invalid address. Never throws. */
  country(ip: string): string | null;
}

/** ip-location-db's record; maxmind's types know only MaxMind's own layouts, hence the intersection. */
type CountryRecord = CountryResponse & { country_code?: string };

/**
 * Addresses that are not on the public internet (RFC 6890). The database answers for some of them
 * anyway (whois blocks cover 192.168.0.0/16 and the documentation ranges), which would be wrong.
 */
const notPublic = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) notPublic.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 127], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) notPublic.addSubnet(net, prefix, 'ipv6');

/** A dual-stack socket reports IPv4 peers as `::ffff:a.b.c.d`. */
const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

const defaultDbPath = () =>
  createRequire(import.meta.url).resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');

/**
 * Opens the country database (the bundled IPv4 + IPv6 file unless `dbPath` names another
 * MaxMind-format file with `country_code` records).
 *
 * @example
 * const geo = await createGeo();
 * geo.country('8.8.8.8'); // 'US'
 * geo.country('192.168.1.1'); // null
 */
export async function createGeo(dbPath: string = defaultDbPath()): Promise<Geo> {
  const reader = await maxmind.open<CountryRecord>(dbPath);
  return {
    country(ip) {
      try {
        const address = MAPPED_V4.exec(ip)?.[1] ?? ip;
        // maxmind reads malformed strings too ('1.2.3' finds a country): only well-formed IPs go in.
        const family = isIP(address);
        if (family === 0 || notPublic.check(address, family === 4 ? 'ipv4' : 'ipv6')) return null;
        return reader.get(address)?.country_code ?? null;
      } catch {
        return null;
      }
    },
  };
}

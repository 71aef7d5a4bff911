/** Settings: a wrong one refuses to start with its name, never a silent default. */
import { expect, it } from 'vitest';
import { reachableHost, readEnv } from './env.ts';

it('reads the defaults', () => {
  expect(readEnv({})).toMatchObject({ port: 8787, host: '127.0.0.1', databaseUrl: undefined });
  expect(readEnv({ PORT: '0', HOST: '0.0.0.0', DATABASE_URL: 'postgresql://u:p@db:5432/kz' })).toMatchObject({ port: 0, host: '0.0.0.0' });
  expect(readEnv({ HOST: 'collector.internal' }).host).toBe('collector.internal');
  expect(readEnv({ HOST: '::1' }).host).toBe('::1');
});

it('refuses a PORT that is not a port, naming it', () => {
  for (const port of ['abc', '80a', '-1', '65536', '8.5'])
    expect(() => readEnv({ PORT: port }), port).toThrow(new RegExp(`^PORT: expected a port number from 0 to 65535, got "${port.replace('.', '\\.')}"`));
});

it('refuses an invalid HOST, naming it', () => {
  for (const host of ['http://example.com', 'example.com:80', 'a b', '-bad.example', '1.2.3.4/24'])
    expect(() => readEnv({ HOST: host }), host).toThrow(/^HOST: expected an IP address or a host name/);
});

it('refuses a DATABASE_URL of another scheme or not a URL, without printing it', () => {
  expect(() => readEnv({ DATABASE_URL: 'mysql://root:secret@db/kz' })).toThrow('DATABASE_URL: expected a postgres:// or postgresql:// URL, got mysql://…');
  expect(() => readEnv({ DATABASE_URL: 'localhost:5432/kz' })).toThrow(/^DATABASE_URL: /);
  expect(() => readEnv({ DATABASE_URL: 'not a url secret' })).toThrow(/^DATABASE_URL: not a URL/);
});

it('names a reachable address for a server bound to every interface', () => {
  expect(reachableHost('0.0.0.0')).toBe('127.0.0.1');
  expect(reachableHost('::')).toBe('[::1]');
  expect(reachableHost('localhost')).toBe('localhost');
});

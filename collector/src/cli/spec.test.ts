/** The command line's parser: per-command help, strict flags, validated values — errors, not stack traces. */
import { expect, it } from 'vitest';
import { parse, usage } from './spec.ts';

const op = (line: string) => {
  const parsed = parse(line.split(' '));
  if (!('op' in parsed)) throw new Error('help');
  return parsed.op;
};

it('gives the help of a group or a command, and the whole usage', () => {
  const site = parse(['site', '--help']);
  expect(site).toEqual({ help: usage('site') });
  expect(usage('site')).toContain('kizuna site update');
  expect(usage('site')).not.toContain('kizuna token');
  expect(parse(['token', 'create', '-h'])).toEqual({ help: usage('token create') });
  expect(usage('token create').split('\n')).toHaveLength(3);
  expect(parse([])).toEqual({ help: usage() });
  expect(parse(['db', '--help'])).toEqual({ help: usage('db') });
  expect(usage('db')).toContain('kizuna db copy --to <postgres url>');
});

it('refuses unknown commands and flags, missing values and arguments', () => {
  expect(() => parse(['sites'])).toThrow('unknown command: sites');
  expect(() => parse('site add a.example --origin https://a.example --bogus'.split(' '))).toThrow("site add: Unknown option '--bogus'");
  expect(() => parse('site add a.example --origin'.split(' '))).toThrow(/site add: Option '--origin <value>' argument missing/);
  expect(() => parse('site add --origin https://a.example'.split(' '))).toThrow('site add: missing <id>');
  expect(() => parse('site add a b --origin https://a.example'.split(' '))).toThrow('site add: unexpected argument b');
  expect(() => parse(['site', 'add', 'a.example'])).toThrow('--origin is required');
  expect(() => parse('token create --site a.example'.split(' '))).toThrow('--label is required');
  expect(() => parse('site remove a.example'.split(' '))).toThrow(/add --yes to confirm/);
  expect(() => parse('site update a.example'.split(' '))).toThrow('site update: nothing to change');
  expect(() => parse('site update a.example --rate-limit 100'.split(' '))).toThrow(/--rate-limit: expected/);
  expect(() => parse('site update a.example --accept-server-side yes'.split(' '))).toThrow(/expected on or off/);
  expect(() => parse('erase --site a.example'.split(' '))).toThrow(/one of --visitor and --customer/);
  expect(() => parse('db copy --data ./data'.split(' '))).toThrow('--to is required');
  expect(() => parse('db copy --to mysql://kz@db/kz'.split(' '))).toThrow(/^--to: expected a postgres:\/\/ or postgresql:\/\/ URL/);
  expect(() => parse('db copy --to not-a-url'.split(' '))).toThrow(/^--to: expected a postgres:\/\/ or postgresql:\/\/ URL/);
});

it('turns a command line into an operation', () => {
  expect(op('site add a.example --origin https://a.example --origin https://b.example --timezone Asia/Tokyo')).toEqual({
    name: 'site.add',
    args: { id: 'a.example', origins: ['https://a.example', 'https://b.example'], timezone: 'Asia/Tokyo' },
  });
  expect(op('site update a.example --add-origin https://c.example --remove-origin https://a.example --rate-limit 100/500 --accept-server-side off')).toEqual({
    name: 'site.update',
    args: {
      id: 'a.example',
      change: { addOrigins: ['https://c.example'], removeOrigins: ['https://a.example'], timezone: undefined, rateLimit: { perSecond: 100, burst: 500 }, acceptServerSide: false },
    },
  });
  expect(op('token create --site a.example --label ci --expires 30d')).toEqual({ name: 'token.create', args: { siteId: 'a.example', label: 'ci', expires: '30d' } });
  expect(op('token revoke 0123456789ab')).toEqual({ name: 'token.revoke', args: { id: '0123456789ab' } });
  expect(op('site remove a.example --yes')).toEqual({ name: 'site.remove', args: { id: 'a.example' } });
  expect(op('db copy --to postgres://kz:pw@db.example/kz --data /srv/kizuna --force')).toEqual({
    name: 'db.copy',
    args: { to: 'postgres://kz:pw@db.example/kz', data: '/srv/kizuna', force: true },
  });
  expect(op('db copy --to postgresql://db.example/kz')).toEqual({ name: 'db.copy', args: { to: 'postgresql://db.example/kz', data: undefined, force: false } });
});

it('refuses a bad site id, origin or time zone before any database is opened', () => {
  expect(() => parse(['site', 'add', 'with space', '--origin', 'https://a.example'])).toThrow(/^invalid id: /);
  expect(() => parse(['site', 'add', 'a.example', '--origin', 'javascript:alert(1)'])).toThrow(/^invalid origin: /);
  expect(() => parse(['site', 'update', 'a.example', '--add-origin', 'https://a.example,https://b.example'])).toThrow(/^invalid origin: /);
  expect(() => parse(['site', 'update', 'a.example', '--timezone', 'Tokyo'])).toThrow(/^invalid timezone: /);
});

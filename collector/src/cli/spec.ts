/**
 * The command line: every command with its help and its flags, parsed strictly (node:util parseArgs
 * per command: an unknown flag or a missing value is an error naming it, not a stack trace). Parsing
 * yields an `Op` — a command's name and plain arguments — that the CLI runs on the database itself
 * or sends to the collector running on the data folder (./ops.ts, ./admin.ts). This module imports
 * nothing of the application: `kizuna --help` and a cluster's primary stay small.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { checkSiteId, checkTimeZone, parseOrigin } from '../lib/site-input.ts';

/** Bad input on the command line: the CLI prints the message (and where to find help) and exits 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Op {
  name: string;
  args: Record<string, unknown>;
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | string[] | boolean | undefined>;

interface Command {
  usage: string;
  help: string;
  options: Options;
  /** how many positional arguments (after the command words) it takes */
  positionals: string[];
  op: (values: Values, positionals: string[]) => Op;
}

const str = { type: 'string' } as const;
const many = { type: 'string', multiple: true } as const;

export const COMMANDS: Record<string, Command> = {
  serve: {
    usage: 'kizuna serve [--workers <n>]',
    help: 'run the collector (PORT, HOST, DATABASE_URL); on PostgreSQL one worker per core by default',
    options: { workers: str },
    positionals: [],
    op: (v) => ({ name: 'serve', args: { workers: v.workers } }),
  },
  demo: {
    usage: 'kizuna demo [--demo-port <port>] [--traffic <visitors>]',
    help: 'collector + demo site on the embedded database; an empty database is first seeded with four weeks of traffic through the events endpoint; --traffic sends that many more visitors, of the last days, while it runs',
    options: { 'demo-port': str, traffic: str },
    positionals: [],
    op: (v) => ({ name: 'demo', args: { demoPort: v['demo-port'], traffic: v.traffic } }),
  },
  'site add': {
    usage: 'kizuna site add <id> --origin <url> [--origin <url> …] [--timezone <tz>]',
    help: 'register a new site: its id (the data-site of the script tag: a-z, 0-9, "." and "-"), the origins its pages are served from (http/https, one per flag), its time zone (default UTC)',
    options: { origin: many, timezone: str },
    positionals: ['id'],
    op: (v, [id]) => {
      const origins = required(v.origin, '--origin') as string[];
      checkSite(id!, origins, v.timezone as string | undefined);
      return { name: 'site.add', args: { id, origins, timezone: v.timezone } };
    },
  },
  'site update': {
    usage: 'kizuna site update <id> [--add-origin <url>]… [--remove-origin <url>]… [--timezone <tz>] [--rate-limit <n/burst>] [--accept-server-side on|off]',
    help: 'change a site: origins are added and removed one by one; a new time zone recomputes the days whose raw events are kept; --rate-limit 100/500 lets it receive 100 events requests a second, bursts of 500; --accept-server-side on takes events sent without an Origin (from a server)',
    options: { 'add-origin': many, 'remove-origin': many, timezone: str, 'rate-limit': str, 'accept-server-side': str },
    positionals: ['id'],
    op: (v, [id]) => {
      const change = {
        addOrigins: v['add-origin'],
        removeOrigins: v['remove-origin'],
        timezone: v.timezone,
        rateLimit: v['rate-limit'] === undefined ? undefined : rateOf(String(v['rate-limit'])),
        acceptServerSide: v['accept-server-side'] === undefined ? undefined : onOff(String(v['accept-server-side'])),
      };
      if (Object.values(change).every((x) => x === undefined)) throw new UsageError('site update: nothing to change');
      checkSite(id!, [...((change.addOrigins as string[]) ?? []), ...((change.removeOrigins as string[]) ?? [])], change.timezone as string | undefined);
      return { name: 'site.update', args: { id, change } };
    },
  },
  'site list': {
    usage: 'kizuna site list',
    help: 'every site: id, time zone, retention, origins',
    options: {},
    positionals: [],
    op: () => ({ name: 'site.list', args: {} }),
  },
  'site remove': {
    usage: 'kizuna site remove <id> --yes',
    help: 'delete a site with all its data (events, sessions, visitors, reports, tokens); --yes confirms',
    options: { yes: { type: 'boolean' } },
    positionals: ['id'],
    op: (v, [id]) => {
      if (!v.yes) throw new UsageError(`site remove deletes ${id} and all its data for good: add --yes to confirm`);
      return { name: 'site.remove', args: { id } };
    },
  },
  'site retention': {
    usage: 'kizuna site retention <id> --days <n>',
    help: 'keep raw events, sessions, visitors and rollups with text that many days (1 to 3650; default 400)',
    options: { days: str },
    positionals: ['id'],
    op: (v, [id]) => ({ name: 'site.retention', args: { id, days: Number(required(v.days, '--days')) } }),
  },
  'token create': {
    usage: 'kizuna token create --site <id> --label <text> [--expires 30d|YYYY-MM-DD]',
    help: 'print a new report API token for one site (shown once: only its hash is kept)',
    options: { site: str, label: str, expires: str },
    positionals: [],
    op: (v) => ({ name: 'token.create', args: { siteId: required(v.site, '--site'), label: required(v.label, '--label'), expires: v.expires } }),
  },
  'token list': {
    usage: 'kizuna token list',
    help: 'every token: id, site, label, created, last used, expires (never the token itself)',
    options: {},
    positionals: [],
    op: () => ({ name: 'token.list', args: {} }),
  },
  'token revoke': {
    usage: 'kizuna token revoke <id>',
    help: 'delete a token at once (its id from `kizuna token list`)',
    options: {},
    positionals: ['id'],
    op: (_v, [id]) => ({ name: 'token.revoke', args: { id } }),
  },
  sri: {
    usage: 'kizuna sri [--endpoint <url>]',
    help: "the SRI integrity of each built script, and a script tag that pins kizuna.js for sites that pin (update it with every new build; the chunks kizuna.js loads itself are not pinned)",
    options: { endpoint: str },
    positionals: [],
    op: (v) => ({ name: 'sri', args: { endpoint: v.endpoint ?? 'https://stats.example.com' } }),
  },
  erase: {
    usage: 'kizuna erase --site <id> (--visitor <id> | --customer <id>)',
    help: 'erase a person everywhere; prints what went',
    options: { site: str, visitor: str, customer: str },
    positionals: [],
    op: (v) => {
      if (!v.visitor === !v.customer) throw new UsageError('erase: give one of --visitor and --customer');
      return { name: 'erase', args: { siteId: required(v.site, '--site'), visitorId: v.visitor, customerId: v.customer } };
    },
  },
  'db copy': {
    usage: 'kizuna db copy --to <postgres url> [--data <dir>] [--force]',
    help: 'copy every table of the embedded database (./data, or --data) into PostgreSQL, to run the collector there (DATABASE_URL): the migrations are applied there first; the rows go in one transaction with ids, sequences and partitions, and are counted on both sides. A target that holds Kizuna data is refused unless --force, which deletes it first; a data folder a collector runs on is refused (stop it first)',
    options: { to: str, data: str, force: { type: 'boolean' } },
    positionals: [],
    op: (v) => ({ name: 'db.copy', args: { to: postgresUrl(required(v.to, '--to') as string), data: v.data, force: v.force === true } }),
  },
  'db backup': {
    usage: 'kizuna db backup --to <new folder> [--data <dir>]',
    help: 'copy the embedded database (./data, or --data) into a new folder, refused while a collector runs on it (stop it first: the copy is then of one consistent state)',
    options: { to: str, data: str },
    positionals: [],
    op: (v) => ({ name: 'db.backup', args: { to: required(v.to, '--to'), data: v.data } }),
  },
  'db restore': {
    usage: 'kizuna db restore --from <backup folder> [--data <dir>] [--force]',
    help: 'put a folder made by `kizuna db backup` back as the embedded database (./data, or --data), refused while a collector runs on it; --force replaces the database it holds',
    options: { from: str, data: str, force: { type: 'boolean' } },
    positionals: [],
    op: (v) => ({ name: 'db.restore', args: { from: required(v.from, '--from'), data: v.data, force: v.force === true } }),
  },
  reclassify: {
    usage: 'kizuna reclassify --site <id> --from <YYYY-MM-DD> [--to <YYYY-MM-DD>]',
    help: 'classify the sessions of those days (site time zone, default to today) again with the current acquisition rules, and recompute their days’ reports',
    options: { site: str, from: str, to: str },
    positionals: [],
    op: (v) => ({ name: 'reclassify', args: { siteId: required(v.site, '--site'), from: required(v.from, '--from'), to: v.to } }),
  },
};

const GROUPS = ['site', 'token', 'db'];

/** The help of every command whose name starts with `prefix` (all of them when it is empty). */
export function usage(prefix = ''): string {
  const lines = Object.entries(COMMANDS)
    .filter(([name]) => name === prefix || name.startsWith(`${prefix} `) || !prefix)
    .map(([, c]) => `  ${c.usage}\n      ${c.help}`);
  return `usage:\n${lines.join('\n')}`;
}

export type Parsed = { help: string } | { op: Op };

/** Parses the command line (without `node cli.ts`). */
export function parse(argv: string[]): Parsed {
  const words = argv.filter((a) => !a.startsWith('-')).slice(0, 2);
  const name = GROUPS.includes(words[0] ?? '') ? words.join(' ') : (words[0] ?? '');
  const command = COMMANDS[name];
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  if (!command) {
    if (wantsHelp || argv.length === 0) return { help: usage(GROUPS.includes(words[0] ?? '') ? words[0] : '') };
    throw new UsageError(`unknown command: ${argv.join(' ')}`, { cause: usage(GROUPS.includes(words[0] ?? '') ? words[0] : '') });
  }
  if (wantsHelp) return { help: usage(name) };
  let values: Values;
  let positionals: string[];
  try {
    const parsed = parseArgs({ args: argv, options: command.options, allowPositionals: true, strict: true });
    [values, positionals] = [parsed.values as Values, parsed.positionals];
  } catch (error) {
    // node's messages name the flag ("Unknown option '--x'"); drop its advice about `--` and `-x`
    throw new UsageError(`${name}: ${(error as Error).message.split('. ')[0]}`, { cause: usage(name) });
  }
  const rest = positionals.slice(name.split(' ').length);
  if (rest.length !== command.positionals.length)
    throw new UsageError(
      rest.length < command.positionals.length ? `${name}: missing <${command.positionals[rest.length]}>` : `${name}: unexpected argument ${rest[command.positionals.length]}`,
      { cause: usage(name) },
    );
  return { op: command.op(values, rest) };
}

/** Refuses a bad id, origin or time zone here, before a database is opened for it (sites/ checks again). */
function checkSite(id: string, origins: string[], timezone: string | undefined) {
  checkSiteId(id);
  origins.forEach(parseOrigin);
  if (timezone !== undefined) checkTimeZone(timezone);
}

function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

function rateOf(value: string) {
  const m = /^(\d{1,7})\/(\d{1,7})$/.exec(value);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < Number(m[1])) throw new UsageError(`--rate-limit: expected <per second>/<burst> such as 100/500 (burst at least the rate), got "${value}"`);
  return { perSecond: Number(m[1]), burst: Number(m[2]) };
}

function onOff(value: string): boolean {
  if (value !== 'on' && value !== 'off') throw new UsageError(`--accept-server-side: expected on or off, got "${value}"`);
  return value === 'on';
}

function postgresUrl(value: string): string {
  const scheme = URL.canParse(value) ? new URL(value).protocol : '';
  if (scheme !== 'postgres:' && scheme !== 'postgresql:')
    throw new UsageError('--to: expected a postgres:// or postgresql:// URL such as postgres://kizuna:password@db.example:5432/kizuna');
  return value;
}

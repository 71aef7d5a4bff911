/**
 * Small helpers shared by the bench scripts: argument parsing, a dependency-free progress bar,
 * formatting, and a seeded random number generator with the distributions the model needs.
 */

/** `--key value` and `--flag` arguments; `--key=value` too. */
export function parseArgs(argv: string[] = process.argv.slice(2)): Map<string, string | true> {
  const args = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument: ${a}`);
    const eq = a.indexOf('=');
    if (eq > 0) args.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) args.set(a.slice(2), argv[++i]!);
    else args.set(a.slice(2), true);
  }
  return args;
}

export const str = (args: Map<string, string | true>, key: string): string | undefined => {
  const v = args.get(key);
  return typeof v === 'string' ? v : undefined;
};

/** A number argument: `1000000`, `1e6`, `1_000_000`, `1M`, `10m`, `500k`. */
export const num = (args: Map<string, string | true>, key: string, fallback: number): number => {
  const v = str(args, key);
  if (v === undefined) return fallback;
  const m = /^([\d._]+(?:e\d+)?)([kKmM]?)$/.exec(v.trim());
  if (!m) throw new Error(`--${key}: not a number: ${v}`);
  const n = Number(m[1]!.replaceAll('_', '')) * (m[2] === '' ? 1 : /k/i.test(m[2]!) ? 1e3 : 1e6);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${key}: not a number: ${v}`);
  return n;
};

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
export const fmtMs = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
export function fmtBytes(b: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (b >= 1024 && i < units.length - 1) (b /= 1024), i++;
  return `${b.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/**
 * A progress bar on stderr: done/total, rate, ETA. On a terminal it redraws one line (at most
 * 5 times a second); in a log file it prints a line every 10 s or 10 %.
 */
export class Progress {
  private readonly started = performance.now();
  private lastDraw = 0;
  private lastTenth = -1;
  private readonly tty = process.stderr.isTTY === true;
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit = 'events',
  ) {}

  update(done: number, force = false): void {
    const now = performance.now();
    const tenth = Math.floor((done / Math.max(1, this.total)) * 10);
    if (!force && now - this.lastDraw < (this.tty ? 200 : 10_000) && (this.tty || tenth === this.lastTenth)) return;
    this.lastDraw = now;
    this.lastTenth = tenth;
    const elapsed = now - this.started;
    const rate = done / Math.max(elapsed / 1000, 1e-3);
    const share = Math.min(1, done / Math.max(1, this.total));
    const width = 28;
    const bar = '█'.repeat(Math.round(share * width)).padEnd(width, '░');
    const eta = done > 0 ? ((this.total - done) / rate) * 1000 : Infinity;
    const line =
      `${this.label} ${bar} ${(share * 100).toFixed(1).padStart(5)}% ${fmtInt(done)}/${fmtInt(this.total)} ${this.unit}` +
      ` · ${fmtInt(rate)} ${this.unit}/s · elapsed ${fmtDuration(elapsed)} · ETA ${done >= this.total ? '0s' : fmtDuration(eta)}`;
    if (this.tty) process.stderr.write(`\r${line}\x1b[K`);
    else process.stderr.write(`${line}\n`);
  }

  finish(done = this.total): number {
    this.update(done, true);
    if (this.tty) process.stderr.write('\n');
    return performance.now() - this.started;
  }
}

/** sfc32: small, fast, seedable; `next()` is uniform in [0, 1). */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | undefined;
  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 12; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  next(): number {
    return this.u32() / 4294967296;
  }
  /** integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** integer in [lo, hi] */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  /** log-normal with this median; sigma is the spread of ln(x) */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
  /** Zipf-like rank in [0, n): a few items are picked often, most rarely */
  zipf(n: number, s = 1.1): number {
    // inverse of the continuous power law on [1, n + 1)
    const u = this.next();
    const x = s === 1 ? Math.pow(n + 1, u) : Math.pow(1 + u * (Math.pow(n + 1, 1 - s) - 1), 1 / (1 - s));
    return Math.min(n - 1, Math.floor(x) - 1);
  }
}

/** A weighted choice, cumulative table built once. */
export class Weighted<T> {
  readonly items: T[];
  private readonly cum: number[];
  private readonly total: number;
  constructor(entries: readonly (readonly [T, number])[]) {
    this.items = entries.map((e) => e[0]);
    let sum = 0;
    this.cum = entries.map((e) => (sum += e[1]));
    this.total = sum;
  }
  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    const cum = this.cum;
    let i = 0;
    while (i < cum.length - 1 && cum[i]! <= x) i++;
    return this.items[i]!;
  }
}

export const weighted = <T extends string = string>(o: Record<string, number>) =>
  new Weighted<T>(Object.entries(o).map(([k, w]) => [k as T, w] as const));

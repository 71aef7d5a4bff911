/**
 * Seeded randomness for the demo traffic model: the same seed gives the same visitors and events,
 * so a benchmark or a snapshot test can regenerate them exactly.
 */

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

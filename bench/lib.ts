/**
 * Small helpers shared by the bench scripts: argument parsing and formatting. (The progress bar and
 * the seeded randomness of the traffic model are the product's: @kizuna/collector/lib/progress.ts,
 * @kizuna/collector/demo/random.ts.)
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

export const fmtMs = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
export function fmtBytes(b: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (b >= 1024 && i < units.length - 1) (b /= 1024), i++;
  return `${b.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/**
 * A progress bar on stderr for long jobs of the command-line tool (demo traffic, reclassification,
 * rollups) and the benchmarks, with the number formats it prints.
 */

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
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

// What the benchmarks share: their numeric options, latency samples (timed runs after a warm-up, their
// percentiles) and how figures are printed.

/** A command-line option's value as a positive integer (or any positive number); a bad value ends the run. */
export function positiveOption(name: string, value: string, kind: 'integer' | 'number' = 'integer'): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (kind === 'integer' && !Number.isInteger(n))) {
    console.error(`--${name} must be a positive ${kind} (got ${value})`);
    process.exit(2);
  }
  return n;
}

export interface Latency {
  p50: number;
  p99: number;
  max: number;
  runs: number;
}

/** Nearest-rank percentile of ascending samples. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** Milliseconds of each of `runs` calls, after `warmup` untimed ones (JIT, caches, plans). */
export async function timeRuns(
  run: () => Promise<unknown>,
  { runs, warmup = Math.min(20, Math.ceil(runs / 10)) }: { runs: number; warmup?: number },
): Promise<Latency> {
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), max: times.at(-1) ?? Number.NaN, runs };
}

/** `12.3` / `0.84`: two decimals below 10 ms, one above. */
export const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));

/** `p50 1.20 ms, p99 4.31 ms` */
export const p50p99 = (l: Latency) => `p50 ${ms(l.p50)} ms, p99 ${ms(l.p99)} ms`;

/** Thousands separated: `12,345`. */
export const int = (n: number) => Math.round(n).toLocaleString('en-US');

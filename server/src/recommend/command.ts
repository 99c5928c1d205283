// `fideliza baskets rules|evaluate`: the market-basket engine on a file, to check it against arules and popularity.
import { parseArgs } from 'node:util';
import { BasketFileError, readBasketFile } from './basket-file.ts';
import { evaluateHoldOut } from './evaluate.ts';
import { type ProgressStream, progressOn } from './progress.ts';
import { DEFAULT_MAX_LEN, DEFAULT_MIN_LEN, generateRules, topByLift } from './rules.ts';

const BASKETS_USAGE = `usage: fideliza baskets <subcommand> [options]

subcommands:
  rules --input FILE --min-support S --min-confidence C [--top K] [--min-len M] [--max-len L]
                  count the association rules as arules' apriori() does (one rhs item, M to L items in all,
                  defaults ${DEFAULT_MIN_LEN} and ${DEFAULT_MAX_LEN} like its minlen and maxlen: {} => {x} counts
                  unless M > 1) and print the top K (default 10) by lift as CSV
  evaluate --input FILE [--k K] [--seed N]
                  hold one item out of each basket of 2+ items and print hit rate @K (default 10) of the
                  popularity baseline and of the recommender; the same seed (default 1) gives the same result

FILE: one basket per line, items separated by commas ("..." around an item that holds a comma)`;

export interface BasketsIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
}

class BasketsUsageError extends Error {}

/** Runs `baskets <subcommand> ...` and returns the exit code: 2 for bad arguments or an unreadable file. */
export async function runBaskets(args: readonly string[], io: BasketsIo): Promise<number> {
  try {
    const [subcommand, ...rest] = args;
    if (subcommand === 'rules') await rules(rest, io);
    else if (subcommand === 'evaluate') await evaluate(rest, io);
    else
      throw new BasketsUsageError(
        subcommand ? `unknown baskets subcommand: ${subcommand}` : 'baskets needs a subcommand',
      );
    return 0;
  } catch (error) {
    if (error instanceof BasketsUsageError) io.stderr.write(`${error.message}\n\n${BASKETS_USAGE}\n`);
    else if (error instanceof BasketFileError) io.stderr.write(`${error.message}\n`);
    else throw error;
    return 2;
  }
}

async function rules(args: string[], io: BasketsIo): Promise<void> {
  const values = parse(args, {
    input: { type: 'string' },
    'min-support': { type: 'string' },
    'min-confidence': { type: 'string' },
    top: { type: 'string' },
    'min-len': { type: 'string' },
    'max-len': { type: 'string' },
  });
  const input = required(values.input, 'rules needs --input FILE');
  const minSupport = fraction('--min-support', required(values['min-support'], 'rules needs --min-support S'));
  if (minSupport === 0) throw new BasketsUsageError('--min-support must be above 0');
  const minConfidence = fraction(
    '--min-confidence',
    required(values['min-confidence'], 'rules needs --min-confidence C'),
  );
  const top = integer('--top', values.top, 10, 0);
  const minLen = integer('--min-len', values['min-len'], DEFAULT_MIN_LEN, 1);
  const maxLen = integer('--max-len', values['max-len'], DEFAULT_MAX_LEN, 1);
  if (minLen > maxLen) throw new BasketsUsageError('--min-len must not exceed --max-len');

  const started = Date.now();
  const baskets = await read(input, io);
  const progress = progressOn(io.stderr);
  const found = topByLift(
    generateRules(baskets, {
      minSupport,
      minConfidence,
      minLen,
      maxLen,
      onProgress: (done, total) => progress.report(`mining: ${done}/${total} items`),
    }),
    top,
  );
  progress.done();
  io.stderr.write(`${baskets.length} baskets, ${found.count} rules in ${seconds(started)}\n`);

  io.stdout.write(`rules: ${found.count}\nlhs,rhs,support,confidence,lift\n`);
  for (const rule of found.top) {
    const fields = [`{${rule.lhs.join(',')}}`, `{${rule.rhs}}`].map(csvField);
    io.stdout.write(`${[...fields, ...[rule.support, rule.confidence, rule.lift].map(digits15)].join(',')}\n`);
  }
}

async function evaluate(args: string[], io: BasketsIo): Promise<void> {
  const values = parse(args, { input: { type: 'string' }, k: { type: 'string' }, seed: { type: 'string' } });
  const input = required(values.input, 'evaluate needs --input FILE');
  const k = integer('--k', values.k, 10, 1);
  const seed = integer('--seed', values.seed, 1, 0);
  if (seed > 0xffffffff) throw new BasketsUsageError('--seed must be below 2^32');

  const started = Date.now();
  const baskets = await read(input, io);
  const progress = progressOn(io.stderr);
  const result = evaluateHoldOut(baskets, {
    k,
    seed,
    onProgress: (done, total) => progress.report(`evaluating: ${done}/${total} baskets`),
  });
  progress.done();
  io.stderr.write(`${baskets.length} baskets evaluated in ${seconds(started)}\n`);

  const rate = (hits: number): string =>
    `${(result.testBaskets === 0 ? 0 : hits / result.testBaskets).toFixed(4)} (${hits} hits)`;
  io.stdout.write(
    `test baskets: ${result.testBaskets}\n` +
      `popularity hit rate @${k}: ${rate(result.popularityHits)}\n` +
      `recommender hit rate @${k}: ${rate(result.recommenderHits)}\n`,
  );
}

async function read(path: string, io: BasketsIo): Promise<string[][]> {
  const progress = progressOn(io.stderr);
  const baskets = await readBasketFile(path, (lines) => progress.report(`reading ${path}: ${lines} lines`));
  progress.done();
  return baskets;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// 15 significant digits, as R prints with options(digits = 15): past them only round-off shows (1.9999999999999998).
function digits15(value: number): string {
  return String(Number(value.toPrecision(15)));
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

type StringOptions = Record<string, { type: 'string' }>;

function parse<T extends StringOptions>(args: string[], options: T): { [K in keyof T]?: string } {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as { [K in keyof T]?: string };
  } catch (error) {
    // parseArgs reports unknown options and stray words as TypeErrors with an ERR_PARSE_ARGS_* code.
    if ((error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      throw new BasketsUsageError((error as Error).message);
    }
    throw error;
  }
}

function required(value: string | undefined, message: string): string {
  if (value === undefined || value === '') throw new BasketsUsageError(message);
  return value;
}

const DECIMAL = /^(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

function fraction(name: string, raw: string): number {
  const value = Number(raw);
  if (!DECIMAL.test(raw) || value > 1)
    throw new BasketsUsageError(`${name} must be a number from 0 to 1, got "${raw}"`);
  return value;
}

function integer(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || !Number.isSafeInteger(value)) {
    throw new BasketsUsageError(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  }
  return value;
}

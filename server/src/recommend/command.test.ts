// `fideliza baskets` run in-process: what an operator sees on stdout and stderr, and the exit codes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBaskets } from './command.ts';
import { progressOn } from './progress.ts';
import { syntheticBaskets } from './synthetic.ts';

const dir = mkdtempSync(join(tmpdir(), 'fideliza-baskets-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// N = 6 (the blank line is a basket); milk 4, bread 3, butter 2; {milk,bread} 2, {bread,butter} 2.
const SHOP = file('shop.csv', 'milk,bread\nmilk, bread ,butter\nbread,butter\nmilk\n\nbeer,"nuts, salted",milk,milk\n');

async function baskets(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runBaskets(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

describe('fideliza baskets rules', () => {
  it('prints the number of rules and the top K by lift as CSV', async () => {
    const run = await baskets(
      'rules',
      '--input',
      SHOP,
      '--min-support',
      '0.3',
      '--min-confidence',
      '0.5',
      '--top',
      '5',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      [
        'rules: 6',
        'lhs,rhs,support,confidence,lift',
        '{butter},{bread},0.333333333333333,1,2',
        '{bread},{butter},0.333333333333333,0.666666666666667,2',
        '{},{milk},0.666666666666667,0.666666666666667,1',
        '{bread},{milk},0.333333333333333,0.666666666666667,1',
        '{},{bread},0.5,0.5,1',
        '',
      ].join('\n'),
    );
    expect(run.stderr).toMatch(/^6 baskets, 6 rules in \d+\.\d s\n$/);
  });

  it('quotes a left-hand side of several items so it stays one CSV field, and --min-len and --max-len bound the rules', async () => {
    const run = await baskets(
      'rules',
      '--input',
      SHOP,
      '--min-support',
      '0.1',
      '--min-confidence',
      '1',
      '--top',
      '100',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('\n"{beer,nuts, salted}",{milk},0.166666666666667,1,1.5\n');
    expect(run.stdout).toContain('\n"{nuts, salted}",{beer},0.166666666666667,1,6\n');
    const short = await baskets(
      'rules',
      '--input',
      SHOP,
      '--min-support',
      '0.1',
      '--min-confidence',
      '0',
      '--max-len',
      '2',
    );
    expect(short.stdout.split('\n')[0]).toBe('rules: 17');
    // Without the 5 rules {} => {x}: 12 from the pairs and 6 from the triples.
    const long = await baskets(
      'rules',
      '--input',
      SHOP,
      '--min-support',
      '0.1',
      '--min-confidence',
      '0',
      '--min-len',
      '2',
    );
    expect(long.stdout.split('\n')[0]).toBe('rules: 18');
  });

  it('refuses bad arguments with exit code 2, the reason and the usage, and writes nothing on stdout', async () => {
    const cases: [string[], string][] = [
      [['rules', '--min-support', '0.1', '--min-confidence', '0.5'], 'rules needs --input FILE'],
      [['rules', '--input', SHOP, '--min-confidence', '0.5'], 'rules needs --min-support S'],
      [['rules', '--input', SHOP, '--min-support', '0', '--min-confidence', '0.5'], '--min-support must be above 0'],
      [
        ['rules', '--input', SHOP, '--min-support', '1.5', '--min-confidence', '0.5'],
        '--min-support must be a number from 0 to 1, got "1.5"',
      ],
      [
        ['rules', '--input', SHOP, '--min-support', '0.1', '--min-confidence', 'high'],
        '--min-confidence must be a number from 0 to 1, got "high"',
      ],
      [
        ['rules', '--input', SHOP, '--min-support', '0.1', '--min-confidence', '0.5', '--top=-1'],
        '--top must be a whole number of at least 0, got "-1"',
      ],
      [
        ['rules', '--input', SHOP, '--min-support', '0.1', '--min-confidence', '0.5', '--max-len', '0'],
        '--max-len must be a whole number of at least 1, got "0"',
      ],
      [
        ['rules', '--input', SHOP, '--min-support', '0.1', '--min-confidence', '0.5', '--min-len', '0'],
        '--min-len must be a whole number of at least 1, got "0"',
      ],
      [
        [
          'rules',
          '--input',
          SHOP,
          '--min-support',
          '0.1',
          '--min-confidence',
          '0.5',
          '--min-len',
          '3',
          '--max-len',
          '2',
        ],
        '--min-len must not exceed --max-len',
      ],
      [
        ['rules', '--input', SHOP, '--min-support', '0.1', '--min-confidence', '0.5', '--minsup', '2'],
        "Unknown option '--minsup'",
      ],
      [['evaluate', '--input', SHOP, '--k', '2.5'], '--k must be a whole number of at least 1, got "2.5"'],
      [['evaluate', '--input', SHOP, '--seed', '4294967296'], '--seed must be below 2^32'],
      [['evaluate', SHOP], 'Unexpected argument'],
      [['mine'], 'unknown baskets subcommand: mine'],
      [[], 'baskets needs a subcommand'],
    ];
    for (const [args, message] of cases) {
      const run = await baskets(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toContain(message);
      expect(run.stderr, args.join(' ')).toContain('usage: fideliza baskets <subcommand>');
      expect(run.stdout, args.join(' ')).toBe('');
    }
  });

  it('names a missing input file with exit code 2', async () => {
    const missing = join(dir, 'missing.csv');
    const run = await baskets('rules', '--input', missing, '--min-support', '0.1', '--min-confidence', '0.5');
    expect(run).toEqual({ code: 2, stdout: '', stderr: `${missing}: no such file\n` });
  });
});

describe('fideliza baskets evaluate', () => {
  const SYNTHETIC = file(
    'families.csv',
    `${syntheticBaskets({ baskets: 2000, seed: 4 })
      .map((b) => b.join(','))
      .join('\n')}\n`,
  );

  it('prints hit rate @k of popularity and of the recommender, the same for the same seed', async () => {
    const run = await baskets('evaluate', '--input', SYNTHETIC, '--k', '5', '--seed', '9');
    expect(run.code, run.stderr).toBe(0);
    const match = run.stdout.match(
      /^test baskets: (\d+)\npopularity hit rate @5: (0\.\d{4}) \((\d+) hits\)\nrecommender hit rate @5: (0\.\d{4}) \((\d+) hits\)\n$/,
    );
    expect(match, run.stdout).not.toBeNull();
    const [, tests, popularity, , recommender] = match!.map(Number) as number[];
    expect(tests).toBeGreaterThan(1000);
    expect(recommender).toBeGreaterThan(popularity! + 0.2);
    expect((await baskets('evaluate', '--input', SYNTHETIC, '--k', '5', '--seed', '9')).stdout).toBe(run.stdout);
  });
});

describe('progress on stderr', () => {
  it('writes nothing before the interval, then plain lines, or one rewritten line on a terminal', () => {
    let plain = '';
    const quiet = progressOn({ write: (t: string) => (plain += t) }, 60_000);
    quiet.report('mining: 1/2 items');
    quiet.done();
    expect(plain).toBe('');

    const lines = progressOn({ write: (t: string) => (plain += t) }, -1);
    lines.report('mining: 1/2 items');
    lines.report('mining: 2/2 items');
    lines.done();
    expect(plain).toBe('mining: 1/2 items\nmining: 2/2 items\n');

    let screen = '';
    const tty = progressOn({ write: (t: string) => (screen += t), isTTY: true }, -1);
    tty.report('reading: 8192 lines');
    tty.done();
    expect(screen).toBe('\r\u001b[2Kreading: 8192 lines\n');
  });
});

// `fideliza baskets` on Groceries (9,835 baskets, 169 items: arules' data(Groceries), as Brett Lantz's groceries.csv,
// test/fixtures/baskets) against what R's arules printed for the same calls. Each figure below is copied from
// published arules output and compared to the digits arules printed:
// - an R 4.4.1 session with arules 1.7-8, apriori(Groceries, parameter = list(supp = 0.001, conf = 0.8)):
//   https://github.com/Gowtham-Pentela/R/blob/eea871ff74a46981e3927d2f5839073db44c6353/Apriori_Algorithm/Apiori_Algorithm.R
// - three apriori() calls of week09/prove_09.R, their summaries and rules in week09/week09.md:
//   https://github.com/dontviolateferpa/cs450/blob/cdda2f5c691fc6b4e61f3995d5d9ce568c3a3a9f/week09/week09.md
//   https://github.com/dontviolateferpa/cs450/blob/119a97c30d63d0422440757e8d049815f8228b39/week09/week09.md
// - Lantz, Machine Learning with R, chapter 8: apriori(groceries, parameter = list(support = 0.006,
//   confidence = 0.25, minlen = 2)), "set of 463 rules" and its top 5 by lift, as knitted runs of that code print it.
// - "Association Rule Mining in R" (2018 blog post): apriori(Groceries, parameter = list(support = 0.01,
//   confidence = 0.5)), "writing ... [15 rule(s)]" and its top 3 by confidence.
// data(Groceries) labels an item "cream cheese " with a trailing space; read.transactions and our reader trim it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBaskets } from './command.ts';

const N = 9835;
const dir = mkdtempSync(join(tmpdir(), 'fideliza-groceries-'));
const GROCERIES = join(dir, 'groceries.csv');

beforeAll(async () => {
  const gz = await readFile(new URL('../../../test/fixtures/baskets/groceries.csv.gz', import.meta.url));
  writeFileSync(GROCERIES, gunzipSync(gz));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Rule {
  lhs: string[];
  rhs: string;
  support: number;
  confidence: number;
  lift: number;
}

/** A rule as arules printed it: the measures keep the digits it showed. */
type Printed = [lhs: string[], rhs: string, support: string, confidence: string, lift: string, count: number];

async function baskets(...args: string[]): Promise<string> {
  let stdout = '';
  let stderr = '';
  const code = await runBaskets(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  expect(code, stderr).toBe(0);
  return stdout;
}

/** Every rule `baskets rules` finds (--top high enough to print them all), in its order: by lift. */
async function mine(...options: string[]): Promise<{ count: number; rules: Rule[] }> {
  const [first, header, ...lines] = (await baskets('rules', '--input', GROCERIES, ...options, '--top', '100000'))
    .trimEnd()
    .split('\n');
  expect(header).toBe('lhs,rhs,support,confidence,lift');
  const count = Number(first!.replace('rules: ', ''));
  const rules = lines.map((line) => {
    // No Groceries item holds a comma, so only the lhs field can be quoted.
    const match = line.match(/^"?\{(.*)\}"?,\{(.+)\},([^,]+),([^,]+),([^,]+)$/);
    expect(match, line).not.toBeNull();
    const [, lhs, rhs, support, confidence, lift] = match!;
    return { lhs: lhs ? lhs.split(',') : [], rhs: rhs!, support: +support!, confidence: +confidence!, lift: +lift! };
  });
  expect(rules).toHaveLength(count);
  return { count, rules };
}

const key = (lhs: readonly string[], rhs: string): string => `{${[...lhs].sort().join(',')}} => {${rhs}}`;

/** The value rounds to what arules printed, to the digits it printed. */
function expectPrinted(value: number, printed: string, what: string): void {
  const decimals = printed.split('.')[1]?.length ?? 0;
  expect(Math.abs(value - Number(printed)), `${what}: ${value} printed as ${printed}`).toBeLessThanOrEqual(
    0.5 * 10 ** -decimals + 1e-15,
  );
}

function expectRules(rules: readonly Rule[], published: readonly Printed[]): void {
  const byKey = new Map(rules.map((r) => [key(r.lhs, r.rhs), r]));
  for (const [lhs, rhs, support, confidence, lift, count] of published) {
    const name = key(lhs, rhs);
    const rule = byKey.get(name);
    expect(rule, `${name} is missing`).toBeDefined();
    expect(rule!.support * N, `${name} count`).toBeCloseTo(count, 9);
    expectPrinted(rule!.support, support, `${name} support`);
    expectPrinted(rule!.confidence, confidence, `${name} confidence`);
    expectPrinted(rule!.lift, lift, `${name} lift`);
  }
}

describe('Groceries: fideliza baskets rules against published arules output', () => {
  it('supp 0.001, conf 0.8: 410 rules, the rules printed, and the same top 5 by lift', async () => {
    const { count, rules } = await mine('--min-support', '0.001', '--min-confidence', '0.8');
    expect(count).toBe(410);
    // Gowtham-Pentela/R: inspect(head(rules)), then two of inspect(head(sort(rules, by = "confidence"), 10)).
    expectRules(rules, [
      [['liquor', 'red/blush wine'], 'bottled beer', '0.001931876', '0.9047619', '11.235269', 19],
      [['curd', 'cereals'], 'whole milk', '0.001016777', '0.9090909', '3.557863', 10],
      [['yogurt', 'cereals'], 'whole milk', '0.001728521', '0.8095238', '3.168192', 17],
      [['butter', 'jam'], 'whole milk', '0.001016777', '0.8333333', '3.261374', 10],
      [['soups', 'bottled beer'], 'whole milk', '0.001118454', '0.9166667', '3.587512', 11],
      [['napkins', 'house keeping products'], 'whole milk', '0.001321810', '0.8125000', '3.179840', 13],
      [['rice', 'sugar'], 'whole milk', '0.001220132', '1', '3.913649', 12],
      [['citrus fruit', 'root vegetables', 'soft cheese'], 'other vegetables', '0.001016777', '1', '5.168156', 10],
    ]);
    // dontviolateferpa/cs450: the 5 rules with the highest lift.
    const top5: Printed[] = [
      [['liquor', 'red/blush wine'], 'bottled beer', '0.001931876', '0.9047619', '11.235269', 19],
      [
        ['citrus fruit', 'other vegetables', 'soda', 'fruit/vegetable juice'],
        'root vegetables',
        '0.001016777',
        '0.909090909',
        '8.340400271',
        10,
      ],
      [
        ['tropical fruit', 'other vegetables', 'whole milk', 'yogurt', 'oil'],
        'root vegetables',
        '0.001016777',
        '0.909090909',
        '8.340400271',
        10,
      ],
      [
        ['citrus fruit', 'grapes', 'fruit/vegetable juice'],
        'tropical fruit',
        '0.001118454',
        '0.846153846',
        '8.063878951',
        11,
      ],
      [
        ['other vegetables', 'whole milk', 'yogurt', 'rice'],
        'root vegetables',
        '0.00132181',
        '0.866666667',
        '7.951181592',
        13,
      ],
    ];
    expectRules(rules, top5);
    // The fifth lift is shared by {oil,other vegetables,tropical fruit,whole milk} => {root vegetables}, which our
    // tie-break puts first; the lifts themselves are the same, in the same order.
    for (const [i, rule] of rules.slice(0, 5).entries()) expectPrinted(rule.lift, top5[i]![4], `lift #${i + 1}`);
    expect(rules.slice(0, 4).map((r) => key(r.lhs, r.rhs))).toEqual(top5.slice(0, 4).map(([l, r]) => key(l, r)));
  });

  it('support 23/9835 (0.00233858668022369, conf 0.8 by default): exactly the 6 rules arules printed', async () => {
    // N · S is 22.999999999999993 in doubles: ⌈N · S⌉ = 23 keeps the rules held by exactly 23 baskets, as arules did.
    const { count, rules } = await mine('--min-support', '0.00233858668022369', '--min-confidence', '0.8');
    expect(count).toBe(6);
    const published: Printed[] = [
      [['tropical fruit', 'herbs'], 'whole milk', '0.002338587', '0.8214286', '3.214783', 23],
      [['herbs', 'rolls/buns'], 'whole milk', '0.002440264', '0.8000000', '3.130919', 24],
      [['hamburger meat', 'curd'], 'whole milk', '0.002541942', '0.8064516', '3.156169', 25],
      [['other vegetables', 'curd', 'domestic eggs'], 'whole milk', '0.002846975', '0.8235294', '3.223005', 28],
      [
        ['citrus fruit', 'tropical fruit', 'root vegetables', 'whole milk'],
        'other vegetables',
        '0.003152008',
        '0.8857143',
        '4.577509',
        31,
      ],
      [
        ['citrus fruit', 'root vegetables', 'other vegetables', 'yogurt'],
        'whole milk',
        '0.002338587',
        '0.8214286',
        '3.214783',
        23,
      ],
    ];
    expectRules(rules, published);
  });

  it('support 0.1 (arules default), conf 0.1395: exactly the 5 rules with an empty lhs arules printed', async () => {
    const { count, rules } = await mine('--min-support', '0.1', '--min-confidence', '0.1395');
    expect(count).toBe(5);
    expectRules(rules, [
      [[], 'soda', '0.1743772', '0.1743772', '1', 1715],
      [[], 'yogurt', '0.1395018', '0.1395018', '1', 1372],
      [[], 'rolls/buns', '0.1839349', '0.1839349', '1', 1809],
      [[], 'other vegetables', '0.1934926', '0.1934926', '1', 1903],
      [[], 'whole milk', '0.2555160', '0.2555160', '1', 2513],
    ]);
  });

  it('support 0.01, conf 0.5: 15 rules, and the same 3 most confident', async () => {
    const { count, rules } = await mine('--min-support', '0.01', '--min-confidence', '0.5');
    expect(count).toBe(15);
    const top3: Printed[] = [
      [['citrus fruit', 'root vegetables'], 'other vegetables', '0.01037112', '0.5862069', '3.029608', 102],
      [['tropical fruit', 'root vegetables'], 'other vegetables', '0.01230300', '0.5845411', '3.020999', 121],
      [['curd', 'yogurt'], 'whole milk', '0.01006609', '0.5823529', '2.279125', 99],
    ];
    expectRules(rules, top3);
    const byConfidence = [...rules].sort((a, b) => b.confidence - a.confidence).slice(0, 3);
    expect(byConfidence.map((r) => key(r.lhs, r.rhs))).toEqual(top3.map(([l, r]) => key(l, r)));
  });

  it("Lantz's support 0.006, conf 0.25, minlen 2: 463 rules of 2, 3 and 4 items (150, 297, 16) and the same top 5 by lift", async () => {
    const { count, rules } = await mine('--min-support', '0.006', '--min-confidence', '0.25', '--min-len', '2');
    expect(count).toBe(463);
    const sizes = [2, 3, 4].map((size) => rules.filter((r) => r.lhs.length + 1 === size).length);
    expect(sizes).toEqual([150, 297, 16]);
    const top5: Printed[] = [
      [['herbs'], 'root vegetables', '0.007015760', '0.4312500', '3.956477', 69],
      [['berries'], 'whipped/sour cream', '0.009049314', '0.2721713', '3.796886', 89],
      [
        ['other vegetables', 'tropical fruit', 'whole milk'],
        'root vegetables',
        '0.007015760',
        '0.4107143',
        '3.768074',
        69,
      ],
      [['beef', 'other vegetables'], 'root vegetables', '0.007930859', '0.4020619', '3.688692', 78],
      [['other vegetables', 'tropical fruit'], 'pip fruit', '0.009456024', '0.2634561', '3.482649', 93],
    ];
    expectRules(rules, top5);
    expect(rules.slice(0, 5).map((r) => key(r.lhs, r.rhs))).toEqual(top5.map(([l, r]) => key(l, r)));

    // arules' default minlen = 1 adds the one empty-lhs rule whose confidence, support(whole milk), reaches 0.25.
    const withEmpty = await mine('--min-support', '0.006', '--min-confidence', '0.25');
    expect(withEmpty.count).toBe(464);
    expect(withEmpty.rules.filter((r) => r.lhs.length === 0).map((r) => key(r.lhs, r.rhs))).toEqual([
      '{} => {whole milk}',
    ]);
  });
});

describe('Groceries: fideliza baskets evaluate', () => {
  it('finds the held-out item more often than the popularity baseline', async () => {
    // Seed 1, k 10: 3047 hits against popularity's 2986 of 7676 test baskets (seeds 1 to 10: +0.8 to +1.8 points).
    const stdout = await baskets('evaluate', '--input', GROCERIES, '--k', '10', '--seed', '1');
    const match = stdout.match(
      /^test baskets: (\d+)\npopularity hit rate @10: \S+ \((\d+) hits\)\nrecommender hit rate @10: \S+ \((\d+) hits\)\n$/,
    );
    expect(match, stdout).not.toBeNull();
    const [, tests, popularity, recommender] = match!.map(Number) as number[];
    expect(tests).toBe(7676);
    expect(recommender).toBeGreaterThan(popularity!);
  });
});

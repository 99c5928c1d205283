// node --import tsx bench/profile-summary.ts FILE.cpuprofile [--top 25]
//
// Where the server's CPU went during `pnpm bench:ingest --cpu-prof DIR`: busy time (idle and module
// loading left out) split into the stages of the ingest path, then the functions with the most self time.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** First match wins, searched over the whole stack: specific stages before the frameworks that call them. */
const categories: Array<[string, (f: CallFrame) => boolean]> = [
  ['(garbage collector)', (f) => f.functionName === '(garbage collector)'],
  ['(idle)', (f) => f.functionName === '(idle)'],
  [
    '(startup: module loading)',
    (f) => /modules\/esm|tsx\/dist/.test(f.url) || f.functionName === 'compileSourceTextModule',
  ],
  ['write: pg/kysely (bind, socket writes, results)', (f) => /node_modules\/(pg|pg-protocol|kysely)\//.test(f.url)],
  ['write: JSON.stringify of the rows (insertEvents)', (f) => /ingest\/store\.ts$/.test(f.url)],
  ['JSON.parse of the body', (f) => f.functionName === 'parseJson'],
  ['validation (checkMessage, zod)', (f) => f.functionName === 'checkMessage' || /node_modules\/zod\//.test(f.url)],
  ['toEventRow (UA, URL, dates)', (f) => f.functionName === 'toEventRow'],
  ['bodyTraits (depth scan)', (f) => f.functionName === 'bodyTraits'],
  ['body read (web stream, concat, utf8)', (f) => f.functionName === 'readBodyText'],
  ['group commit', (f) => /group-commit\.ts$/.test(f.url)],
  ['Hono + @hono/node-server adapters', (f) => /node_modules\/(hono|@hono)\//.test(f.url)],
  ['node:http (parser, sockets)', (f) => /^node:(_http|http|net)/.test(f.url)],
];

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '25' } },
  allowPositionals: true,
});
const file = positionals[0];
if (!file) {
  console.error('usage: profile-summary.ts FILE.cpuprofile [--top N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);

const selfTime = new Map<number, number>();
profile.samples.forEach((id, i) => {
  selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});

const where = (f: CallFrame) =>
  `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^.*\/server\//, '')}:${f.lineNumber + 1}`;
const perCategory = new Map<string, number>();
const perFunction = new Map<string, number>();
for (const [id, t] of selfTime) {
  const stack: CallFrame[] = [];
  for (let cur: number | undefined = id; cur !== undefined; cur = parentOf.get(cur)) {
    const node = byId.get(cur);
    if (node) stack.push(node.callFrame);
  }
  const category = categories.find(([, test]) => stack.some(test))?.[0] ?? 'other';
  perCategory.set(category, (perCategory.get(category) ?? 0) + t);
  if (!category.startsWith('(idle') && !category.startsWith('(startup') && stack[0]) {
    const k = where(stack[0]);
    perFunction.set(k, (perFunction.get(k) ?? 0) + t);
  }
}
const busy = [...perCategory]
  .filter(([k]) => k !== '(idle)' && !k.startsWith('(startup'))
  .reduce((s, [, t]) => s + t, 0);
const pct = (t: number) => `${((t / busy) * 100).toFixed(1).padStart(5)} %`;
console.log(`busy ${(busy / 1e6).toFixed(1)} s of CPU (idle and startup left out)\n\nby stage:`);
for (const [k, t] of [...perCategory].sort((a, b) => b[1] - a[1])) {
  if (k !== '(idle)' && !k.startsWith('(startup')) console.log(`${pct(t)}  ${k}`);
}
console.log('\nby function (self time):');
for (const [k, t] of [...perFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  console.log(`${pct(t)}  ${k}`);
}

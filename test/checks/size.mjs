// Size budgets of the shipped browser files: prints gzip -9 (enforced) and brotli (for information) sizes of every
// entry in size-budgets.json (path from the repository root → max gzip -9 bytes); exits 1 when one is over or missing.
// A `*` in the file name sums the files it matches, each compressed alone (as a browser fetches them): Vite names
// the dashboard's chunks by content hash. Build first (`pnpm build`); dependency-free.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../../', import.meta.url));
const budgets = JSON.parse(readFileSync(new URL('./size-budgets.json', import.meta.url), 'utf8'));

let failed = 0;
const rows = [];
/** The files an entry names: itself, or what its `*` pattern matches in its folder (none when missing). */
function filesOf(entry) {
  if (!entry.includes('*')) return [entry];
  const folder = dirname(entry);
  const [head, tail] = basename(entry).split('*');
  try {
    return readdirSync(root + folder)
      .filter((name) => name.startsWith(head) && name.endsWith(tail))
      .map((name) => `${folder}/${name}`);
  } catch {
    return [];
  }
}

for (const [file, budget] of Object.entries(budgets)) {
  let bodies;
  try {
    bodies = filesOf(file).map((f) => readFileSync(root + f));
    if (bodies.length === 0) throw new Error('no file');
  } catch {
    rows.push([file, '-', '-', '-', String(budget), 'MISSING (run pnpm build)']);
    failed++;
    continue;
  }
  const sum = (size) => bodies.reduce((total, body) => total + size(body), 0);
  const raw = sum((body) => body.length);
  const gzip = sum((body) => gzipSync(body, { level: 9 }).length);
  const brotli = sum((body) => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length);
  const over = gzip > budget;
  if (over) failed++;
  rows.push([
    file,
    String(raw),
    String(gzip),
    String(brotli),
    String(budget),
    over ? `OVER by ${gzip - budget} B` : `ok (${budget - gzip} B left)`,
  ]);
}

const head = ['file', 'raw', 'gzip -9', 'brotli', 'budget', ''];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(head));
for (const r of rows) console.log(line(r));
if (failed) {
  console.error(`size: ${failed} file(s) over budget or missing (budgets in test/checks/size-budgets.json)`);
  process.exit(1);
}

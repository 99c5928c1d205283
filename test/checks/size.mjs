// Size budgets of the shipped browser files: prints gzip -9 (enforced) and brotli (for information) sizes of every
// file in size-budgets.json (path from the repository root → max gzip -9 bytes); exits 1 when one is over or missing.
// Build first (`pnpm build`); dependency-free.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../../', import.meta.url));
const budgets = JSON.parse(readFileSync(new URL('./size-budgets.json', import.meta.url), 'utf8'));

let failed = 0;
const rows = [];
for (const [file, budget] of Object.entries(budgets)) {
  let body;
  try {
    body = readFileSync(root + file);
  } catch {
    rows.push([file, '-', '-', '-', String(budget), 'MISSING (run pnpm build)']);
    failed++;
    continue;
  }
  const gzip = gzipSync(body, { level: 9 }).length;
  const brotli = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const over = gzip > budget;
  if (over) failed++;
  rows.push([
    file,
    String(body.length),
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

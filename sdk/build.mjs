// Builds dist/fideliza.js (script tag: IIFE, minified, `_`-properties mangled) and dist/index.js + index.d.ts
// (npm: ESM, readable) from one source; compile-time flags choose what each build contains.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { minify } from 'terser';

const here = new URL('.', import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
mkdirSync(join(here, 'dist'), { recursive: true });
const define = (iife) => ({ FIDELIZA_VERSION: JSON.stringify(version), FIDELIZA_IIFE: String(iife) });

// Script tag: esbuild bundles, terser squeezes (it beats esbuild's minifier by a few percent here).
// esbuild's minifier first, terser's after it: smaller than either alone (measured).
const bundled = await build({
  entryPoints: [join(here, 'src/snippet.ts')],
  bundle: true,
  format: 'iife',
  target: 'es2020',
  define: define(true),
  write: false,
  minify: true,
  mangleProps: /^_/,
  legalComments: 'none',
});
const min = await minify(bundled.outputFiles[0].text.replace(/^"use strict";/, ''), {
  ecma: 2020,
  toplevel: true,
  compress: { passes: 3, unsafe: true, unsafe_arrows: true, unsafe_methods: true, pure_getters: true },
  mangle: true,
  format: { comments: false },
});
writeFileSync(join(here, 'dist/fideliza.js'), `${min.code}\n`);

// The heatmap overlay: its own small ES module, imported by the SDK only on a page opened from the dashboard
// with a heatmap token, so drawing code never weighs on the tracking script.
await build({
  entryPoints: [join(here, 'src/overlay/main.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  outfile: join(here, 'dist/heatmap-overlay.js'),
});

// npm: readable ESM; the application's bundler minifies.
await build({
  entryPoints: [join(here, 'src/index.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2020',
  define: define(false),
  // Folds the flags; keeps names and layout for reading.
  minifySyntax: true,
  outfile: join(here, 'dist/index.js'),
  legalComments: 'inline',
});

// Declarations: index.ts declares the whole public API itself, so its .d.ts stands alone.
const tmp = mkdtempSync(join(tmpdir(), 'fideliza-dts-'));
try {
  execFileSync(
    process.execPath,
    [
      createRequire(import.meta.url).resolve('typescript/bin/tsc'),
      '-p',
      join(here, 'tsconfig.build.json'),
      '--noEmit',
      'false',
      '--declaration',
      '--emitDeclarationOnly',
      '--outDir',
      tmp,
    ],
    { stdio: 'inherit' },
  );
  const dts = readFileSync(join(tmp, 'sdk/src/index.d.ts'), 'utf8');
  if (/^import /m.test(dts)) throw new Error(`dist/index.d.ts must not import anything:\n${dts}`);
  writeFileSync(join(here, 'dist/index.d.ts'), dts);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const iife = readFileSync(join(here, 'dist/fideliza.js'));
console.log(`dist/fideliza.js: ${iife.length} B, ${gzipSync(iife, { level: 9 }).length} B gzip -9`);

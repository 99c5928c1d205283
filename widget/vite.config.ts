// Builds dist/widget.js: one minified ES module (Preact included) that the SDK loads with import().
import { defineConfig } from 'vite';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    target: 'es2020',
    outDir: 'dist',
    emptyOutDir: true,
    lib: {
      entry: 'src/main.tsx',
      formats: ['es'],
      fileName: () => 'widget.js',
    },
    rolldownOptions: {
      output: {
        // Vite keeps whitespace in ES library builds for later bundlers; this file ships to browsers as it is.
        minify: true,
        comments: { annotation: false },
        postBanner:
          '/*! Fideliza widget. Bundles Preact (MIT, (c) Jason Miller) and @preact/signals (MIT, (c) Preact Team) */',
      },
    },
  },
});

// Reports what the SDK costs a browser app: src/index.ts bundled with oauth4webapi, minified,
// tree-shaken as an app's bundler would, then gzipped. Fails when over the budget.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const BUDGET_GZIP_BYTES = 15 * 1024;

const result = await build({
  entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  logLevel: 'warning',
});
const code = result.outputFiles[0].contents;
const gzipped = gzipSync(code, { level: 9 }).length;

console.log(`minified: ${code.length} bytes`);
console.log(`gzipped:  ${gzipped} bytes (budget ${BUDGET_GZIP_BYTES} bytes)`);
if (gzipped > BUDGET_GZIP_BYTES) {
  console.error('over the size budget');
  process.exitCode = 1;
}

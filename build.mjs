// Compiles src/ into lib/ as one bundle (plus a chunk per lazily loaded format). A bundle starts
// about twice as fast as hundreds of small ES modules: micromark alone is ~150 files.
//
// With --if-stale (as `npm run build` calls it) nothing is done when lib/ is newer than every
// source file, so building the editions does not pay for compiling the tool.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

if (process.argv.includes('--if-stale') && existsSync('lib/cli.js')) {
  const built = statSync('lib/cli.js').mtimeMs;
  const sources = readdirSync('src', { recursive: true, encoding: 'utf8' }).map((f) => path.join('src', f));
  if ([...sources, 'build.mjs', 'package-lock.json'].every((f) => statSync(f).mtimeMs <= built)) process.exit(0);
}

rmSync('lib', { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts', 'src/index.ts'],
  outdir: 'lib',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'bundle',
  // pdfkit reads its data files relative to its own module; hyphen's patterns load per language;
  // subset-font loads harfbuzz's WebAssembly from beside its own module; pdfjs-dist (editions
  // audit) starts its worker from beside its own.
  external: ['pdfkit', 'fontkit', 'hyphen', 'hyphen/*', 'subset-font', 'pdfjs-dist', 'pdfjs-dist/*'],
  // Handlebars and others still call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'linked',
});

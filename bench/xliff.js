#!/usr/bin/env node
// Benchmark: whole-process time and peak memory of `editions translations export --to xliff`
// (and xliff2) and of `import`, on the paper and its Spanish translation at 1x, 10x and 100x,
// made as bench/run.js makes them (the paper repeated under "# Part k" headings). Import is
// timed on the file as exported (nothing to write) and with every unit's target changed (every
// block rewritten, the translation loaded again in memory to check it, the record rewritten). Not a test: run `node bench/xliff.js` (after `npm run
// compile`); needs GNU time (/usr/bin/time). SCALES=1,10 picks the sizes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { scaledPaper } from './scale.js';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench', 'out-xliff');
const cli = path.join(root, 'bin', 'editions.js');
const scales = (process.env.SCALES ?? '1,10,100').split(',').filter(Boolean).map(Number);
const runsFor = (scale) => (scale >= 100 ? 3 : 5);


function editions(cwd, args) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`editions ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

function measure(cwd, args, before = () => {}) {
  const runs = Array.from({ length: runsFor(scale) }, () => {
    before();
    const started = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, cli, ...args], { cwd, encoding: 'utf8' });
    const seconds = (performance.now() - started) / 1000;
    if (r.status !== 0) throw new Error(`editions ${args.join(' ')} failed:\n${r.stderr}`);
    const [kb, user, system] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
    return { seconds, cpu: user + system, mb: kb / 1024 };
  });
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { seconds: median(runs.map((r) => r.seconds)), cpu: median(runs.map((r) => r.cpu)), mb: Math.max(...runs.map((r) => r.mb)) };
}

const rows = [];
rmSync(work, { recursive: true, force: true });
let scale;
for (scale of scales) {
  const cwd = path.join(work, `${scale}x`);
  const doc = path.join(cwd, 'source', 'paper');
  mkdirSync(doc, { recursive: true });
  writeFileSync(path.join(doc, 'paper.en.md'), scaledPaper('paper.en.md', scale, 'Part'));
  writeFileSync(path.join(doc, 'paper.es.md'), scaledPaper('paper.es.md', scale, 'Parte'));
  writeFileSync(path.join(doc, 'termbase.yaml'), readFileSync(path.join(root, 'source', 'china-lac-policy', 'termbase.yaml')));
  editions(cwd, ['translations', 'accept', 'source/paper/paper.es.md']);
  const pristine = { md: readFileSync(path.join(doc, 'paper.es.md')), record: readFileSync(path.join(doc, 'paper.es.sources.yaml')) };
  const restore = () => {
    writeFileSync(path.join(doc, 'paper.es.md'), pristine.md);
    writeFileSync(path.join(doc, 'paper.es.sources.yaml'), pristine.record);
  };
  const units = (text) => (text.match(/<trans-unit /g) ?? []).length;
  for (const [to, suffix] of [['xliff', '.xlf'], ['xliff2', '.xliff2.xlf']]) {
    const xlf = path.join(cwd, 'translations', 'paper', `paper.es${suffix}`);
    rows.push({ scale, name: `export --to ${to}`, ...measure(cwd, ['translations', 'export', '--to', to]) });
    const exported = readFileSync(xlf, 'utf8');
    const count = to === 'xliff' ? units(exported) : (exported.match(/<unit /g) ?? []).length;
    rows.push({ scale, name: `import ${to}, as exported`, ...measure(cwd, ['translations', 'import', xlf]) });
    // Every target's last character doubled (not the first: a heading's number would change): every block rewritten.
    const edited = exported.replace(/([^<>])(<\/target>)/g, '$1$1$2');
    const editedFile = xlf.replace(/\.xlf$/, '.edited.xlf');
    writeFileSync(editedFile, edited);
    rows.push({ scale, name: `import ${to}, every unit changed`, ...measure(cwd, ['translations', 'import', editedFile], restore) });
    restore();
    rows.at(-1).units = count;
    rows.at(-2).units = count;
    rows.at(-3).units = count;
  }
}

// CPU time (user + system) beside the wall clock: on a shared machine the clock measures the load too.
console.log(`Node ${process.version}; median of ${runsFor(1)} runs (3 at 100x); whole process; peak RSS.\n`);
console.log('| what | units | time | CPU time | peak memory |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.name} at ${r.scale}x | ${r.units} | ${r.seconds.toFixed(2)} s | ${r.cpu.toFixed(2)} s | ${r.mb.toFixed(0)} MB |`);
writeFileSync(path.join(work, 'results.json'), `${JSON.stringify(rows, null, 2)}\n`);

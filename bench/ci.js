#!/usr/bin/env node
// Benchmark of a CI run's builds (issue 14), each beside pandoc's four English outputs (HTML,
// EPUB, DOCX, PDF through wkhtmltopdf) measured in the same run: the whole repository cold, with
// nothing changed (from the build cache), with one English paragraph edited (from the cache), and
// in four shards. Whole-process time (median) and peak memory. Not a test: run
// `node bench/ci.js` (after `npm run compile`) and copy the table into the README. RUNS=N.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pandocCase, runCases } from './measure.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench', 'out-ci');
const runs = Number(process.env.RUNS ?? 5);
const cli = path.join(root, 'bin', 'editions.js');

const editions = (args) => [process.execPath, [cli, ...args]];

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
cpSync(path.join(root, 'source'), path.join(work, 'source'), { recursive: true });
const en = path.join(work, 'source', 'china-lac-policy', 'paper.en.md');
const original = readFileSync(en, 'utf8');
// Another word each run: an edit met before would be in the cache, whole build and all.
const edited = (run) => original.replace('It encourages Chinese commercial banks', `It encourages Chinese commercial banks (${run + 1})`);

/** Each case: a name, what to do before each run (not timed), and the command timed. */
const cases = [
  pandocCase(),
  ['editions: the whole repository (28 outputs), cold, no cache', () => rmSync(path.join(work, 'cold'), { recursive: true, force: true }), editions(['build', '--out', 'cold', '-q'])],
  [
    'editions: rebuilt with nothing changed, from the cache',
    () => {
      writeFileSync(en, original);
      spawnSync(process.execPath, [cli, 'build', '--out', 'warm', '--cache', 'cache', '-q'], { cwd: work });
    },
    editions(['build', '--out', 'warm', '--cache', 'cache', '-q']),
  ],
  [
    'editions: rebuilt with one English paragraph edited, from the cache',
    (run) => {
      writeFileSync(en, original);
      spawnSync(process.execPath, [cli, 'build', '--out', 'warm', '--cache', 'cache', '-q'], { cwd: work });
      writeFileSync(en, edited(run));
    },
    editions(['build', '--out', 'warm', '--cache', 'cache', '-q']),
  ],
  ...[1, 2, 3, 4].map((i) => [`editions: shard ${i}/4, cold`, () => writeFileSync(en, original), editions(['build', '--shard', `${i}/4`, '--out', `shard-${i}`, '-q'])]),
  ['editions: merge of the four shards', () => writeFileSync(en, original), editions(['merge', 'shard-1', 'shard-2', 'shard-3', 'shard-4', '--out', 'merged', '-q'])],
];

// A failed build ends the benchmark: its figures would be a failure's.
const rows = runCases(cases, runs, work, (name, failed) => {
  throw new Error(`${name} failed: ${failed}`);
});
writeFileSync(en, original);
const pandoc = rows[0].median;
console.log(`Node ${process.version}; median of ${runs} runs, interleaved; peak RSS of the whole process.\n`);
console.log("| what | time | × pandoc's four | peak memory |");
console.log('|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.name} | ${r.median.toFixed(2)} s | ${(r.median / pandoc).toFixed(2)} | ${r.mb.toFixed(0)} MB |`);
writeFileSync(path.join(work, 'results.json'), `${JSON.stringify(rows, null, 2)}\n`);
